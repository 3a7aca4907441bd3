using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gate.Sandbox.Api;
using Gate.Sandbox.Partner;
using Gate.Sandbox.Storage;
using Microsoft.EntityFrameworkCore;

namespace Gate.Sandbox.Receipts;

/// <summary>Reads receipts and signs their permalinks: token = hex(HMAC-SHA256(sandbox key, refid)).</summary>
public sealed class ReceiptService(SandboxStore store, SandboxSecrets secrets, SandboxUrls urls, PartnerState partner)
{
    public async Task<Receipt?> FindAsync(string refid, CancellationToken ct)
    {
        var record = await store.RunAsync(db => db.Transactions.AsNoTracking()
            .Join(db.Sessions, t => t.SessionId, s => s.Id, (t, s) => new { t, s.PartnerId })
            .Where(x => x.t.Refid == refid && x.PartnerId == partner.Id)
            .Select(x => x.t)
            .SingleOrDefaultAsync(ct), ct);
        if (record is null)
        {
            return null;
        }

        var receipt = JsonSerializer.Deserialize<Receipt>(record.ReceiptJson, SandboxJson.Options)!;
        var token = PermalinkToken(refid);
        return receipt with
        {
            PermalinkToken = token,
            PermalinkUrl = $"{urls.PublicUrl}/receipts/{Uri.EscapeDataString(refid)}?token={token}",
        };
    }

    public string PermalinkToken(string refid) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(secrets.PermalinkKey, Encoding.UTF8.GetBytes(refid)));

    public bool IsValidPermalink(string refid, string? token)
    {
        var expected = Encoding.ASCII.GetBytes(PermalinkToken(refid));
        var presented = Encoding.ASCII.GetBytes(token ?? "");
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }
}
