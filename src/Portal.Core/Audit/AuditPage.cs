using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Persistence;

namespace Portal.Core.Audit;

public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, int Total);
