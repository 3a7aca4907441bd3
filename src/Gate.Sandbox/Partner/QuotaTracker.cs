using Gate.Sandbox.Storage;
using Gate.Sandbox.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gate.Sandbox.Partner;

public sealed record QuotaEvent(string PartnerId, int Limit, int Used, int WarningAt);

/// <summary>
/// Counts sessions against <c>Sandbox:Quota:Limit</c>; <c>partner.quota.warning</c> (at the warning ratio)
/// and <c>partner.quota.exhausted</c> fire once each, when the count first crosses them.
/// </summary>
public sealed class QuotaTracker(PartnerState partner, EventPublisher events, IOptions<SandboxOptions> options)
{
    public const string WarningEvent = "partner.quota.warning";
    public const string ExhaustedEvent = "partner.quota.exhausted";

    public int Limit => options.Value.Quota.Limit;

    public int WarningAt => Limit <= 0 ? 0 : Math.Max(1, (int)Math.Ceiling(Limit * options.Value.Quota.WarningRatio));

    public Task<int> UsedAsync(SandboxDbContext db, CancellationToken ct) =>
        db.Sessions.CountAsync(s => s.PartnerId == partner.Id, ct);

    public bool IsExhausted(int used) => Limit > 0 && used >= Limit;

    public void AddCrossingEvents(SandboxDbContext db, int before, int after)
    {
        if (Limit <= 0)
        {
            return;
        }

        if (before < WarningAt && after >= WarningAt && !AlreadyEmitted(db, WarningEvent))
        {
            events.Add(db, WarningEvent, new QuotaEvent(partner.Id, Limit, after, WarningAt));
        }

        if (before < Limit && after >= Limit && !AlreadyEmitted(db, ExhaustedEvent))
        {
            events.Add(db, ExhaustedEvent, new QuotaEvent(partner.Id, Limit, after, WarningAt));
        }
    }

    private bool AlreadyEmitted(SandboxDbContext db, string type) =>
        db.Events.Any(e => e.PartnerId == partner.Id && e.Type == type);
}
