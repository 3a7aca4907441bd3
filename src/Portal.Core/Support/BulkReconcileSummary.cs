using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Portal.Core.Audit;
using Portal.Core.Checkout;
using Portal.Core.Limits;

namespace Portal.Core.Support;

public sealed record BulkReconcileSummary(BulkReconcileOutcome Outcome, string Message, BulkReconcileProgress? Progress);
