namespace Portal.Core.StaffActions;

public sealed record BulkReconcileSummary(BulkReconcileOutcome Outcome, string Message, BulkReconcileProgress? Progress);
