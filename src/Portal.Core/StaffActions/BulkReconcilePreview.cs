namespace Portal.Core.StaffActions;

/// <summary>How many attempts match (only those a reconcile can read: a session, and open or flagged), and how many a run takes.</summary>
public sealed record BulkReconcilePreview(int Matching, int WillRead, int Max);
