namespace Portal.Core.Reads;

public sealed record OutcomeCopy(string Title, string Message, string NextAction);
