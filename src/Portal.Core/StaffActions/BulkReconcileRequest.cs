using System.Globalization;
using Portal.Core.Attempts;
using Portal.Core.Reads;

namespace Portal.Core.StaffActions;

/// <summary>Which attempts a bulk reconcile reads: created in <c>[From, To)</c>, in one of <see cref="Statuses"/>.</summary>
public sealed record BulkReconcileRequest(DateTimeOffset From, DateTimeOffset To, IReadOnlyCollection<AttemptStatus> Statuses)
{
    /// <summary>Open attempts with a session: waiting for the customer, or confirming.</summary>
    public static readonly IReadOnlyList<AttemptStatus> DefaultStatuses = [AttemptStatus.RequiresAction, AttemptStatus.Processing];

    public AttemptFilter ToFilter() => new() { CreatedFrom = From, CreatedTo = To, Statuses = Statuses };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"created {From.UtcDateTime:yyyy-MM-dd HH:mm} – {To.UtcDateTime:yyyy-MM-dd HH:mm} UTC, {string.Join(", ", Statuses.Select(s => s.ToWire()))}");
}
