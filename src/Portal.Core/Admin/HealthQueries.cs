using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Portal.Core.Attempts;
using Portal.Core.Persistence;

namespace Portal.Core.Admin;

/// <summary>
/// The chart aggregates, computed by the database over an indexed time range (never rows pulled into memory). Time
/// arithmetic has no portable LINQ form here: SQLite keeps times as integers (<see cref="DateTimeOffsetToBinaryConverter"/>,
/// written in UTC: <c>value &gt;&gt; 11</c> is the time in units of 100 µs) and PostgreSQL as <c>timestamptz</c>, so each
/// query has one SQL text per provider. Table and column names are the model's; every value is a parameter.
/// </summary>
internal abstract class HealthQueries
{
    private static readonly HealthQueries SqliteQueries = new SqliteHealthQueries();
    private static readonly HealthQueries PostgresQueries = new PostgresHealthQueries();

    /// <summary>Upper bounds (exclusive, milliseconds) of the latency bins after the first (negative: signed "in the future").</summary>
    public static readonly long[] LatencyBinUpperMilliseconds = [1_000, 2_000, 5_000, 30_000, 300_000];

    public static HealthQueries For(PortalDbContext db) => db is SqlitePortalDbContext ? SqliteQueries : PostgresQueries;

    private string? _processedSql, _rejectedSql, _duplicatesSql, _latencySql;

    /// <summary>Processed events per time bucket and outcome (<c>ReceivedAt</c> index range).</summary>
    public Task<List<BucketCount>> ProcessedByOutcomeAsync(PortalDbContext db, DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, CancellationToken ct) =>
        db.Database.SqlQueryRaw<BucketCount>(_processedSql ??= $$"""
            SELECT {{BucketOf("ReceivedAt")}} AS "Bucket", "Outcome" AS "Key", COUNT(*) AS "Count"
            FROM processed_events
            WHERE "ReceivedAt" >= {2} AND "ReceivedAt" < {3}
            GROUP BY 1, 2
            """,
            Origin(from), Size(bucket), Time(from), Time(to)).ToListAsync(ct);

    /// <summary>Refused deliveries per time bucket and reason, from the per-minute tallies (primary key range on <c>Minute</c>).</summary>
    public Task<List<BucketCount>> RejectedByReasonAsync(PortalDbContext db, DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, CancellationToken ct) =>
        db.Database.SqlQueryRaw<BucketCount>(_rejectedSql ??= $$"""
            SELECT {{BucketOf("Minute")}} AS "Bucket", "Reason" AS "Key", CAST(SUM("Count") AS bigint) AS "Count"
            FROM rejected_delivery_tallies
            WHERE "Minute" >= {2} AND "Minute" < {3}
            GROUP BY 1, 2
            """,
            Origin(from), Size(bucket), Time(from), Time(to)).ToListAsync(ct);

    /// <summary>
    /// Repeated deliveries per time bucket: the "duplicate" lines of the timeline from <paramref name="firstId"/> on (the
    /// first line of the window, found by <see cref="TimelineWindow"/>), so the scan is the window's lines only.
    /// </summary>
    public Task<List<BucketCount>> DuplicatesAsync(PortalDbContext db, long firstId, DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, CancellationToken ct) =>
        db.Database.SqlQueryRaw<BucketCount>(_duplicatesSql ??= $$"""
            SELECT {{BucketOf("OccurredAt")}} AS "Bucket", 'duplicate' AS "Key", COUNT(*) AS "Count"
            FROM attempt_timeline
            WHERE "Id" >= {4} AND "Kind" = {5} AND "OccurredAt" >= {2} AND "OccurredAt" < {3}
            GROUP BY 1
            """,
            Origin(from), Size(bucket), Time(from), Time(to), firstId, SnakeCase.From(nameof(TimelineKind.EventDuplicate))).ToListAsync(ct);

    /// <summary>
    /// Processed events per latency bin of <c>ReceivedAt − SignedAt</c> (signature time to stored): bin 0 is negative
    /// (the signer's clock ahead), then one bin per <see cref="LatencyBinUpperMilliseconds"/> and a last open-ended one.
    /// </summary>
    public Task<List<BucketCount>> LatencyAsync(PortalDbContext db, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        db.Database.SqlQueryRaw<BucketCount>(_latencySql ??= $$"""
            SELECT CAST(CASE WHEN latency_ms < 0 THEN 0 {{LatencyBins()}} ELSE {{LatencyBinUpperMilliseconds.Length + 1}} END AS bigint) AS "Bucket",
                   '' AS "Key", COUNT(*) AS "Count"
            FROM (SELECT {{MillisecondsBetween("ReceivedAt", "SignedAt")}} AS latency_ms
                  FROM processed_events
                  WHERE "ReceivedAt" >= {0} AND "ReceivedAt" < {1}) AS latencies
            GROUP BY 1
            """,
            Time(from), Time(to)).ToListAsync(ct);

    private static string LatencyBins() =>
        string.Join(" ", LatencyBinUpperMilliseconds.Select((upper, i) => string.Create(CultureInfo.InvariantCulture, $"WHEN latency_ms < {upper} THEN {i + 1}")));

    /// <summary>SQL for the bucket number of a time column; <c>{0}</c> is the origin, <c>{1}</c> the bucket size.</summary>
    protected abstract string BucketOf(string column);

    protected abstract string MillisecondsBetween(string later, string earlier);

    /// <summary>A time as this provider stores it (for comparisons with a column).</summary>
    protected abstract object Time(DateTimeOffset time);

    protected abstract object Origin(DateTimeOffset from);

    protected abstract object Size(TimeSpan bucket);

    private sealed class SqliteHealthQueries : HealthQueries
    {
        private static readonly ValueConverter<DateTimeOffset, long> Stored = new DateTimeOffsetToBinaryConverter();

        // The stored integer shifted right by 11 bits is the (UTC) time in units of 100 µs: integer arithmetic only.
        protected override string BucketOf(string column) => $"((\"{column}\" >> 11) - {{0}}) / {{1}}";

        protected override string MillisecondsBetween(string later, string earlier) => $"((\"{later}\" >> 11) - (\"{earlier}\" >> 11)) / 10";

        protected override object Time(DateTimeOffset time) => Stored.ConvertToProvider(time.ToUniversalTime())!;

        protected override object Origin(DateTimeOffset from) => from.UtcTicks / 1000;

        protected override object Size(TimeSpan bucket) => bucket.Ticks / 1000;
    }

    private sealed class PostgresHealthQueries : HealthQueries
    {
        protected override string BucketOf(string column) => $"CAST(floor(extract(epoch from (\"{column}\" - {{0}})) / {{1}}) AS bigint)";

        protected override string MillisecondsBetween(string later, string earlier) => $"(extract(epoch from (\"{later}\" - \"{earlier}\")) * 1000)";

        protected override object Time(DateTimeOffset time) => time.ToUniversalTime();

        protected override object Origin(DateTimeOffset from) => from.ToUniversalTime();

        protected override object Size(TimeSpan bucket) => bucket.TotalSeconds;
    }
}
