namespace Portal.Core.Checkout;

/// <summary>What one sweep did.</summary>
public sealed record SweepSummary(int SessionsRead, int Closed, int StillOpen, int Unreachable, int ExpiredUnopened);
