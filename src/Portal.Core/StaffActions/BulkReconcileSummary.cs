using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Portal.Core.StaffActions;

public sealed record BulkReconcileSummary(BulkReconcileOutcome Outcome, string Message, BulkReconcileProgress? Progress);
