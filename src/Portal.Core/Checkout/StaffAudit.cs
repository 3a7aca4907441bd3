using Portal.Core.Records;

namespace Portal.Core.Checkout;

/// <summary>
/// What a staff action writes with its change, in the same transaction: it may add a note to the attempt, and returns
/// the audit entry (or null for none).
/// </summary>
public delegate AuditEntry? StaffAudit(StaffChange change);
