using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Portal.Core.Checkout;
using Portal.Core.Webhooks;

namespace Portal.Core.Persistence;

/// <summary>
/// The portal's store. Components never see this type: Core services create one per operation
/// through <see cref="IDbContextFactory{TContext}"/>.
/// </summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options) : DbContext(options)
{
    public DbSet<CheckoutAttempt> Attempts => Set<CheckoutAttempt>();

    public DbSet<TimelineEntry> Timeline => Set<TimelineEntry>();

    public DbSet<ProcessedEvent> ProcessedEvents => Set<ProcessedEvent>();

    public DbSet<RejectedDelivery> RejectedDeliveries => Set<RejectedDelivery>();

    public DbSet<RejectedDeliveryTally> RejectedDeliveryTallies => Set<RejectedDeliveryTally>();

    public DbSet<AttemptReceipt> Receipts => Set<AttemptReceipt>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Stored as sortable integers so time can be compared and ordered in SQL on any provider.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var status = new ValueConverter<AttemptStatus, string>(s => s.ToWire(), s => AttemptStatusNames.FromWire(s));
        var flow = new ValueConverter<CheckoutFlow, string>(f => f.ToWire(), f => ParseFlow(f));

        modelBuilder.Entity<CheckoutAttempt>(attempt =>
        {
            attempt.ToTable("checkout_attempts");
            attempt.HasKey(a => a.Id);
            attempt.Property(a => a.Id).HasMaxLength(40);
            attempt.Property(a => a.AccountId).HasMaxLength(200).IsRequired();
            attempt.Property(a => a.Flow).HasConversion(flow).HasMaxLength(16);
            // Concurrency tokens: a save is UPDATE … WHERE status = @original AND needs_review = @original.
            attempt.Property(a => a.Status).HasConversion(status).HasMaxLength(24).IsConcurrencyToken();
            attempt.Property(a => a.NeedsReview).IsConcurrencyToken();
            attempt.Property(a => a.ClosedBy).HasConversion(new ValueConverter<AttemptCloser, string>(c => SnakeCase.From(c.ToString()), c => Enum.Parse<AttemptCloser>(c.Replace("_", string.Empty), true))).HasMaxLength(24);
            attempt.Property(a => a.Amount).HasConversion<string>();
            attempt.Property(a => a.Currency).HasMaxLength(16);
            attempt.Property(a => a.TargetToken).HasMaxLength(16);
            attempt.Property(a => a.TargetNetwork).HasMaxLength(32);
            attempt.Property(a => a.WalletAddress).HasMaxLength(128);
            attempt.Property(a => a.GateSessionId).HasMaxLength(100);
            attempt.Property(a => a.TxRefId).HasMaxLength(100);
            attempt.Property(a => a.ClosedByEventId).HasMaxLength(100);
            attempt.Ignore(a => a.SessionIdempotencyKey);
            attempt.Ignore(a => a.IsTerminal);
            attempt.Ignore(a => a.AwaitsVerification);
            attempt.Ignore(a => a.NewTimelineEntries);
            attempt.HasIndex(a => a.GateSessionId).IsUnique();
            attempt.HasIndex(a => new { a.AccountId, a.CreatedAt });
            attempt.HasIndex(a => new { a.AccountId, a.StartToken }).IsUnique();
            attempt.HasIndex(a => new { a.Status, a.UpdatedAt });
            attempt.HasIndex(a => new { a.Status, a.NextSweepAt });
        });

        modelBuilder.Entity<AttemptReceipt>(receipt =>
        {
            receipt.ToTable("attempt_receipts");
            receipt.HasKey(r => r.AttemptId);
            receipt.HasOne<CheckoutAttempt>().WithOne().HasForeignKey<AttemptReceipt>(r => r.AttemptId).OnDelete(DeleteBehavior.Cascade);
            foreach (var property in receipt.Metadata.GetDeclaredProperties().Where(p => p.ClrType == typeof(string)))
            {
                property.SetMaxLength(property.Name is nameof(AttemptReceipt.ExplorerUrl) or nameof(AttemptReceipt.PermalinkUrl) ? 500 : 120);
            }
        });

        modelBuilder.Entity<TimelineEntry>(entry =>
        {
            entry.ToTable("attempt_timeline");
            entry.HasKey(e => e.Id);
            entry.Property(e => e.Kind).HasConversion(new ValueConverter<TimelineKind, string>(k => SnakeCase.From(k.ToString()), k => Enum.Parse<TimelineKind>(k.Replace("_", string.Empty), true))).HasMaxLength(40);
            entry.Property(e => e.FromStatus).HasConversion(status).HasMaxLength(24);
            entry.Property(e => e.ToStatus).HasConversion(status).HasMaxLength(24);
            entry.Property(e => e.Summary).HasMaxLength(500);
            entry.Property(e => e.EventId).HasMaxLength(100);
            entry.Property(e => e.EventType).HasMaxLength(100);
            entry.Property(e => e.GateSessionId).HasMaxLength(100);
            entry.Property(e => e.GateRequestId).HasMaxLength(100);
            entry.HasIndex(e => new { e.AttemptId, e.Id });
            entry.HasIndex(e => e.GateSessionId);
            entry.HasOne<CheckoutAttempt>().WithMany().HasForeignKey(e => e.AttemptId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ProcessedEvent>(processed =>
        {
            processed.ToTable("processed_events");
            processed.HasKey(e => e.EventId);
            processed.Property(e => e.EventId).HasMaxLength(100);
            processed.Property(e => e.EventType).HasMaxLength(100);
            processed.Property(e => e.GateSessionId).HasMaxLength(100);
            processed.Property(e => e.AttemptId).HasMaxLength(40);
            processed.Property(e => e.Outcome).HasConversion(new ValueConverter<EventOutcome, string>(o => SnakeCase.From(o.ToString()), o => Enum.Parse<EventOutcome>(o.Replace("_", string.Empty), true))).HasMaxLength(32);
            processed.HasIndex(e => e.ReceivedAt);
        });

        modelBuilder.Entity<RejectedDelivery>(rejected =>
        {
            rejected.ToTable("rejected_deliveries");
            rejected.HasKey(e => e.Id);
            rejected.Property(e => e.Reason).HasMaxLength(64);
            rejected.Property(e => e.BodySha256).HasMaxLength(64);
            rejected.HasIndex(e => e.ReceivedAt);
        });

        modelBuilder.Entity<RejectedDeliveryTally>(tally =>
        {
            tally.ToTable("rejected_delivery_tallies");
            tally.HasKey(t => new { t.Minute, t.Reason });
            tally.Property(t => t.Reason).HasMaxLength(64);
        });
    }

    private static CheckoutFlow ParseFlow(string value) =>
        CheckoutFlowNames.TryParse(value, out var flow) ? flow : throw new InvalidOperationException($"Unknown flow '{value}' in store.");
}
