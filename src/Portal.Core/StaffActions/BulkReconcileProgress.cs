namespace Portal.Core.StaffActions;

/// <summary>A run as it goes: <see cref="Done"/> of <see cref="Total"/> read, and how each ended.</summary>
public sealed record BulkReconcileProgress(string RunId, int Total, int Done, int Changed, int Unchanged, int Failed);
