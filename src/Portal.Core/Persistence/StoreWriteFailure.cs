namespace Portal.Core.Persistence;

/// <summary>The store has been failing writes: since when, how often, and the store's own words for why.</summary>
public sealed record StoreWriteFailure(DateTimeOffset Since, DateTimeOffset LastAt, int Failures, string Reason);
