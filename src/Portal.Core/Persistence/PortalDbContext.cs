using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Portal.Core.Attempts;
using Portal.Core.Records;

namespace Portal.Core.Persistence;

/// <summary>
/// The portal's store. Components never see this type: Core services create one per operation through
/// <see cref="IDbContextFactory{TContext}"/>. Each provider has its own derived context with its own migrations
/// (<see cref="SqlitePortalDbContext"/>, <see cref="PostgresPortalDbContext"/>); the model is the same but for the
/// column types each provider does best.
/// </summary>
public abstract class PortalDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<CheckoutAttempt> Attempts => Set<CheckoutAttempt>();

    public DbSet<TimelineEntry> Timeline => Set<TimelineEntry>();

    public DbSet<ProcessedEvent> ProcessedEvents => Set<ProcessedEvent>();

    public DbSet<RejectedDelivery> RejectedDeliveries => Set<RejectedDelivery>();

    public DbSet<RejectedDeliveryTally> RejectedDeliveryTallies => Set<RejectedDeliveryTally>();

    public DbSet<AttemptReceipt> Receipts => Set<AttemptReceipt>();

    /// <summary>What staff did (append-only: the store refuses UPDATE and DELETE on it).</summary>
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    /// <summary>Work after a commit that must happen once and survive a crash (the receipt fetch).</summary>
    public DbSet<BackgroundJob> Jobs => Set<BackgroundJob>();

    /// <summary>Outcome emails: one row per email job, written before the send so a crash never sends one twice.</summary>
    public DbSet<OutcomeEmail> OutcomeEmails => Set<OutcomeEmail>();

    /// <summary>The Data Protection key ring, shared by every instance (a cookie minted on one works on all).</summary>
    public DbSet<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> DataProtectionKeys => Set<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>();

    /// <summary>How this provider stores an exact amount.</summary>
    protected abstract void ConfigureAmount(Microsoft.EntityFrameworkCore.Metadata.Builders.PropertyBuilder<decimal> amount);

    /// <summary>
    /// How this provider translates <see cref="SearchKeys.Fold"/>: exactly the expression its migrations index
    /// (see the SupportScreens migration), so a prefix search is an index range scan.
    /// </summary>
    protected abstract SqlExpression FoldSearchKey(SqlExpression value);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var status = new ValueConverter<AttemptStatus, string>(s => s.ToWire(), s => AttemptStatusNames.FromWire(s));
        var flow = new ValueConverter<CheckoutFlow, string>(f => f.ToWire(), f => ParseFlow(f));

        modelBuilder.HasDbFunction(SearchKeys.FoldMethod).HasTranslation(arguments => FoldSearchKey(arguments[0]));

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
            ConfigureAmount(attempt.Property(a => a.Amount));
            attempt.Property(a => a.Currency).HasMaxLength(16);
            attempt.Property(a => a.TargetToken).HasMaxLength(16);
            attempt.Property(a => a.TargetNetwork).HasMaxLength(32);
            attempt.Property(a => a.WalletAddress).HasMaxLength(128);
            attempt.Property(a => a.GateSessionId).HasMaxLength(100);
            attempt.Property(a => a.TxRefId).HasMaxLength(100);
            attempt.Property(a => a.ClosedByEventId).HasMaxLength(100);
            attempt.Property(a => a.GateEnvironment).HasMaxLength(8);
            attempt.Property(a => a.ReturnUrl).HasMaxLength(500);
            attempt.Property(a => a.CancelUrl).HasMaxLength(500);
            attempt.Property(a => a.CustomerEmail).HasMaxLength(320);
            attempt.Ignore(a => a.UserReference);
            attempt.Ignore(a => a.SessionIdempotencyKey);
            attempt.Ignore(a => a.IsTerminal);
            attempt.Ignore(a => a.AwaitsVerification);
            attempt.Ignore(a => a.NewTimelineEntries);
            attempt.HasIndex(a => a.GateSessionId).IsUnique();
            attempt.HasIndex(a => new { a.AccountId, a.CreatedAt });
            attempt.HasIndex(a => new { a.AccountId, a.StartToken }).IsUnique();
            attempt.HasIndex(a => new { a.Status, a.UpdatedAt });
            attempt.HasIndex(a => new { a.Status, a.NextSweepAt });
            // Support's list: newest first, by created time, and the needs-review view.
            attempt.HasIndex(a => a.CreatedAt);
            attempt.HasIndex(a => new { a.NeedsReview, a.CreatedAt });
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
            processed.Property(e => e.SecretFingerprint).HasMaxLength(24);
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

        modelBuilder.Entity<BackgroundJob>(job =>
        {
            job.ToTable("background_jobs");
            job.HasKey(j => j.Id);
            job.Property(j => j.Kind).HasMaxLength(32);
            job.Property(j => j.AttemptId).HasMaxLength(40);
            job.Property(j => j.LockedBy).HasMaxLength(100);
            job.Property(j => j.LastError).HasMaxLength(500);
            job.Property(j => j.TraceParent).HasMaxLength(64);
            job.HasIndex(j => new { j.CompletedAt, j.RunAfter });
            job.HasIndex(j => new { j.Kind, j.AttemptId });
        });

        modelBuilder.Entity<OutcomeEmail>(email =>
        {
            email.ToTable("outcome_emails");
            email.HasKey(e => e.JobId);
            email.Property(e => e.JobId).ValueGeneratedNever();
            email.Property(e => e.AttemptId).HasMaxLength(40);
            email.Property(e => e.Occasion).HasConversion(SnakeCaseNames<EmailOccasion>()).HasMaxLength(24);
            email.Property(e => e.MessageId).HasMaxLength(200);
            email.Property(e => e.Result).HasConversion(SnakeCaseNames<EmailResult>()).HasMaxLength(24);
            email.HasIndex(e => new { e.AttemptId, e.JobId });
        });

        modelBuilder.Entity<AuditEntry>(audit =>
        {
            audit.ToTable("audit_entries");
            audit.HasKey(e => e.Id);
            audit.Property(e => e.ActorSubject).HasMaxLength(200);
            audit.Property(e => e.ActorName).HasMaxLength(200);
            audit.Property(e => e.ActorRole).HasMaxLength(32);
            audit.Property(e => e.Action).HasConversion(SnakeCaseNames<AuditAction>()).HasMaxLength(32);
            audit.Property(e => e.Result).HasConversion(SnakeCaseNames<AuditResult>()).HasMaxLength(16);
            audit.Property(e => e.AttemptId).HasMaxLength(40);
            audit.Property(e => e.Reason).HasMaxLength(AuditEntry.ReasonMaxLength);
            audit.Property(e => e.Detail).HasMaxLength(AuditEntry.DetailMaxLength);
            audit.Property(e => e.RunId).HasMaxLength(40);
            audit.Property(e => e.GateRequestId).HasMaxLength(100);
            audit.Property(e => e.Before).HasMaxLength(AuditEntry.StateMaxLength);
            audit.Property(e => e.After).HasMaxLength(AuditEntry.StateMaxLength);
            // No foreign key to the attempt: the log outlives anything it mentions.
            audit.HasIndex(e => e.OccurredAt);
            audit.HasIndex(e => new { e.ActorSubject, e.OccurredAt });
            audit.HasIndex(e => new { e.Action, e.OccurredAt });
            audit.HasIndex(e => new { e.AttemptId, e.Id });
            audit.HasIndex(e => new { e.RunId, e.Id });
        });

        modelBuilder.Entity<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>().ToTable("data_protection_keys");

        modelBuilder.Entity<RejectedDeliveryTally>(tally =>
        {
            tally.ToTable("rejected_delivery_tallies");
            tally.HasKey(t => new { t.Minute, t.Reason });
            tally.Property(t => t.Reason).HasMaxLength(64);
        });
    }

    private static ValueConverter<T, string> SnakeCaseNames<T>()
        where T : struct, Enum =>
        new(value => SnakeCase.From(value.ToString()), name => Enum.Parse<T>(name.Replace("_", string.Empty), true));

    private static CheckoutFlow ParseFlow(string value) =>
        CheckoutFlowNames.TryParse(value, out var flow) ? flow : throw new InvalidOperationException($"Unknown flow '{value}' in store.");
}
