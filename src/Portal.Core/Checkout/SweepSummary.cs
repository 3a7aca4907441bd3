using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Gate;
using Portal.Core.Persistence;

namespace Portal.Core.Checkout;

/// <summary>What one sweep did.</summary>
public sealed record SweepSummary(int SessionsRead, int Closed, int StillOpen, int Unreachable, int ExpiredUnopened);
