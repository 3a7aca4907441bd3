using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Attempts;
using Portal.Core.Gate;
using Portal.Core.Persistence;
using Portal.Core.Webhooks;

namespace Portal.Core.Reads;

/// <summary>
/// One attempt for support: alone (what a staff action starts from), or with its timeline, the secret that verified
/// each event, its receipt and its audit entries (the attempt page). One context per operation.
/// </summary>
public sealed class AttemptDetails(IDbContextFactory<PortalDbContext> dbFactory, IOptions<GateOptions> gateOptions)
{
    private List<string>? _secretFingerprints;

    /// <summary>The attempt alone (no timeline), or null for an unknown or malformed id.</summary>
    public async Task<CheckoutAttempt?> GetAsync(string? attemptId, CancellationToken cancellationToken)
    {
        var id = attemptId?.Trim();
        if (string.IsNullOrEmpty(id) || !AttemptId.IsWellFormed(id))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Attempts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
    }

    public async Task<AttemptDetail?> GetDetailAsync(string? attemptId, CancellationToken cancellationToken)
    {
        var id = attemptId?.Trim();
        if (string.IsNullOrEmpty(id) || !AttemptId.IsWellFormed(id))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var attempt = await db.Attempts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (attempt is null)
        {
            return null;
        }

        var timeline = await db.Timeline.AsNoTracking().Where(e => e.AttemptId == id).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        var eventIds = timeline.Where(e => e.EventId is not null).Select(e => e.EventId!).Distinct().ToList();
        var fingerprints = eventIds.Count == 0
            ? []
            : await db.ProcessedEvents.AsNoTracking()
                .Where(e => eventIds.Contains(e.EventId) && e.SecretFingerprint != null)
                .Select(e => new { e.EventId, e.SecretFingerprint })
                .ToListAsync(cancellationToken);
        var receipt = await db.Receipts.AsNoTracking().FirstOrDefaultAsync(r => r.AttemptId == id, cancellationToken);
        var audit = await db.AuditEntries.AsNoTracking().Where(e => e.AttemptId == id).OrderByDescending(e => e.Id).Take(100).ToListAsync(cancellationToken);
        return new AttemptDetail(attempt, timeline)
        {
            Verifications = fingerprints.ToDictionary(f => f.EventId, f => Verification(f.SecretFingerprint!), StringComparer.Ordinal),
            Receipt = receipt,
            Audit = audit,
            CurrentEnvironment = gateOptions.Value.Environment,
        };
    }

    private EventVerification Verification(string fingerprint)
    {
        var configured = _secretFingerprints ??= [.. gateOptions.Value.WebhookSecrets.Select(WebhookSecretFingerprint.Of)];
        var index = configured.IndexOf(fingerprint);
        var which = index switch
        {
            0 => "the current secret",
            > 0 => $"a previous secret (Gate:WebhookSecrets:{index})",
            _ => "a secret no longer configured",
        };
        return new(fingerprint, which);
    }
}
