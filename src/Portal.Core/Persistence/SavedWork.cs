using System.Diagnostics;
using Portal.Core.Attempts;

namespace Portal.Core.Persistence;

/// <summary>What one piece of work saved: announced (and counted) once its transaction committed.</summary>
public sealed record SavedWork(List<CheckoutAttempt> Opened, List<AttemptStatusChanged> Changes, List<CheckoutAttempt> Closed, bool CreatedJobs, Activity? Cause);
