namespace Portal.Core.Audit;

/// <summary>Someone who appears in the log: subject and the latest name recorded for it.</summary>
public sealed record AuditActor(string Subject, string Name);
