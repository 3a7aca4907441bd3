using System.Globalization;
using System.Text.Json;
using Gate.Sandbox.Api;
using Gate.Sandbox.Receipts;
using Gate.Sandbox.Sessions;
using Gate.Sandbox.Storage;
using Microsoft.EntityFrameworkCore;

namespace Portal.Bench.GateData;

/// <summary>A seeded attempt's side in 0Gate: its session (completed) and the transaction the receipt job reads.</summary>
public sealed record GateTransaction(string SessionId, string AttemptId, string TxRefId);

/// <summary>
/// Writes 0Gate's side of the bench's attempts into the sandbox process's own store: for each, the completed session
/// and its transaction, with the receipt the sandbox's own <see cref="ReceiptFactory"/> makes (what
/// <c>SessionService.CompleteAsync</c> stores when a customer completes a session). The deliveries the bench sends then
/// name a transaction 0Gate knows, so the <c>fetch_receipt</c> job each fulfilment creates reads a real receipt
/// (<c>GET /v1/transactions/{refid}</c>, 200) and stores it, as in production, instead of failing with 404 and retrying.
/// Many per transaction, while the apps are idle (like <see cref="PortalData.AttemptSeeder"/>).
/// </summary>
public sealed class SandboxTransactions(string connectionString, string partnerId, string returnUrl)
{
    private const int BatchSize = 2000;

    public async Task SeedAsync(IReadOnlyList<GateTransaction> transactions, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var options = new DbContextOptionsBuilder<SandboxDbContext>().UseSqlite(connectionString).Options;
        for (var offset = 0; offset < transactions.Count; offset += BatchSize)
        {
            await using var db = new SandboxDbContext(options);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var seeded in transactions.Skip(offset).Take(BatchSize))
            {
                var session = new SessionRecord
                {
                    Id = seeded.SessionId,
                    PartnerId = partnerId,
                    Status = SessionStatus.Completed,
                    Amount = "10.00",
                    Currency = "EUR",
                    Flow = Flows.OnRamp,
                    TargetToken = "USDC",
                    TargetNetwork = "base",
                    UserReference = seeded.AttemptId,
                    ReturnUrl = returnUrl,
                    ClientSecret = string.Create(CultureInfo.InvariantCulture, $"{seeded.SessionId}_secret_bench"),
                    TxRefid = seeded.TxRefId,
                    CreatedAt = now.ToUnixTimeMilliseconds(),
                    ExpiresAt = now.AddDays(1).ToUnixTimeMilliseconds(),
                    ClosedAt = now.ToUnixTimeMilliseconds(),
                };
                db.Sessions.Add(session);
                db.Transactions.Add(new TransactionRecord
                {
                    Refid = seeded.TxRefId,
                    SessionId = seeded.SessionId,
                    ReceiptJson = JsonSerializer.Serialize(ReceiptFactory.Create(session, seeded.TxRefId, livemode: false, now.ToUnixTimeSeconds()), SandboxJson.Options),
                    CreatedAt = now.ToUnixTimeMilliseconds(),
                });
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
