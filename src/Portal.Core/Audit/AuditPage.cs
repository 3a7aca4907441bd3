using Portal.Core.Records;

namespace Portal.Core.Audit;

public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, int Total);
