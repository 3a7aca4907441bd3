using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Portal.Core.Audit;
using Portal.Core.Checkout;
using Portal.Core.Limits;

namespace Portal.Core.Support;

/// <summary>How many attempts match (only those a reconcile can read: a session, and open or flagged), and how many a run takes.</summary>
public sealed record BulkReconcilePreview(int Matching, int WillRead, int Max);
