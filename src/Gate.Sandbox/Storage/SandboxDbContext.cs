using Microsoft.EntityFrameworkCore;

namespace Gate.Sandbox.Storage;

/// <summary>The sandbox's own SQLite store. Times are unix milliseconds so SQLite can compare them.</summary>
public sealed class SandboxDbContext(DbContextOptions<SandboxDbContext> options) : DbContext(options)
{
    public DbSet<SessionRecord> Sessions => Set<SessionRecord>();
    public DbSet<IdempotencyRecord> IdempotencyKeys => Set<IdempotencyRecord>();
    public DbSet<EventRecord> Events => Set<EventRecord>();
    public DbSet<DeliveryRecord> Deliveries => Set<DeliveryRecord>();
    public DbSet<DeliveryAttemptRecord> DeliveryAttempts => Set<DeliveryAttemptRecord>();
    public DbSet<TransactionRecord> Transactions => Set<TransactionRecord>();
    public DbSet<SettingRecord> Settings => Set<SettingRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SessionRecord>(e =>
        {
            e.HasKey(s => s.Id);
            e.HasIndex(s => s.ClientSecret).IsUnique();
            e.HasIndex(s => s.PartnerId);
        });
        modelBuilder.Entity<IdempotencyRecord>().HasKey(i => new { i.PartnerId, i.Key });
        modelBuilder.Entity<EventRecord>(e =>
        {
            e.HasKey(v => v.Id);
            e.HasIndex(v => new { v.PartnerId, v.Type });
        });
        modelBuilder.Entity<DeliveryRecord>(e =>
        {
            e.HasKey(d => d.Sequence);
            e.HasIndex(d => d.Id).IsUnique();
            e.HasIndex(d => new { d.Status, d.NextAttemptAt });
        });
        modelBuilder.Entity<DeliveryAttemptRecord>(e =>
        {
            e.HasKey(a => a.Sequence);
            e.HasIndex(a => a.DeliveryId);
        });
        modelBuilder.Entity<TransactionRecord>(e =>
        {
            e.HasKey(t => t.Refid);
            e.HasIndex(t => t.SessionId).IsUnique();
        });
        modelBuilder.Entity<SettingRecord>().HasKey(s => s.Key);
    }
}

public sealed class SessionRecord
{
    public required string Id { get; set; }
    public required string PartnerId { get; set; }
    public required string Status { get; set; }
    public required string Amount { get; set; }
    public required string Currency { get; set; }
    public required string Flow { get; set; }
    public string? TargetToken { get; set; }
    public string? TargetNetwork { get; set; }
    public string? WalletAddress { get; set; }
    public string? UserReference { get; set; }
    public required string ReturnUrl { get; set; }
    public string? CancelUrl { get; set; }
    public required string ClientSecret { get; set; }
    public bool KycPreVerified { get; set; }
    public string? TxRefid { get; set; }
    public long CreatedAt { get; set; }
    public long ExpiresAt { get; set; }
    public long? ClosedAt { get; set; }
}

public sealed class IdempotencyRecord
{
    public required string PartnerId { get; set; }
    public required string Key { get; set; }
    public required string RequestHash { get; set; }
    public int StatusCode { get; set; }
    public required string ResponseBody { get; set; }
    public long CreatedAt { get; set; }
}

public sealed class EventRecord
{
    public required string Id { get; set; }
    public required string PartnerId { get; set; }
    public required string Type { get; set; }
    public string? SessionId { get; set; }
    /// <summary>The exact JSON body that is signed and delivered.</summary>
    public required string Body { get; set; }
    public long Created { get; set; }
}

public sealed class DeliveryRecord
{
    /// <summary>Insertion order; the reorder switch delivers in reverse of it.</summary>
    public long Sequence { get; set; }
    public required string Id { get; set; }
    public required string EventId { get; set; }
    public required string EventType { get; set; }
    public required string Body { get; set; }
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public int? LastHttpStatus { get; set; }
    public string? LastError { get; set; }
    public long? NextAttemptAt { get; set; }
    public long CreatedAt { get; set; }
    public long? DeliveredAt { get; set; }
}

public sealed class DeliveryAttemptRecord
{
    public long Sequence { get; set; }
    public required string DeliveryId { get; set; }
    public int Attempt { get; set; }
    public int? HttpStatus { get; set; }
    public string? Error { get; set; }
    public long AttemptedAt { get; set; }
    public long? NextRetryAt { get; set; }
}

public sealed class TransactionRecord
{
    public required string Refid { get; set; }
    public required string SessionId { get; set; }
    /// <summary>The receipt without its permalink (that depends on the public URL at read time).</summary>
    public required string ReceiptJson { get; set; }
    public long CreatedAt { get; set; }
}

public sealed class SettingRecord
{
    public required string Key { get; set; }
    public required string Value { get; set; }
}

public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}
