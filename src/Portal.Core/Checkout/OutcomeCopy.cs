namespace Portal.Core.Checkout;

public sealed record OutcomeCopy(string Title, string Message, string NextAction);
