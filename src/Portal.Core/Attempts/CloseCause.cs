namespace Portal.Core.Attempts;

/// <summary>Why an attempt closes: who closed it, a support-safe description, and the event or transaction behind it.</summary>
public sealed record CloseCause(AttemptCloser Closer, string Description, string? EventId = null, string? TxRefId = null);
