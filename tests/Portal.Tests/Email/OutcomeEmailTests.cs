using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Jobs;
using Portal.Core.Reads;
using Portal.Core.Records;
using Portal.Tests.Infrastructure;
using Portal.Tests.Support;

namespace Portal.Tests.Email;

/// <summary>
/// Outcome emails reach a real SMTP server (SmtpServer, in this process, on a free port): one per closing state and
/// per verification request, with the seeds' sentence, the receipt's figures and the status link; exactly one per
/// event across repeated events, repeated runs and a run killed while sending.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync.")]
public abstract class OutcomeEmailTests : IAsyncLifetime
{
    /// <summary>The store these tests run on; each runs on SQLite and on PostgreSQL.</summary>
    protected abstract Portal.Core.Persistence.StoreProvider Provider { get; }

    private const string Alice = "alice@example.test";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private TestSmtpServer _smtp = null!;
    private CoreHarness _core = null!;

    public async Task InitializeAsync()
    {
        _smtp = await TestSmtpServer.StartAsync();
        _core = await StartCoreAsync(_smtp.Port);
    }

    public async Task DisposeAsync()
    {
        await _core.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Theory]
    [InlineData(AttemptStatus.Fulfilled, CheckoutCopy.Fulfilled)]
    [InlineData(AttemptStatus.Failed, CheckoutCopy.Failed)]
    [InlineData(AttemptStatus.Expired, CheckoutCopy.Expired)]
    [InlineData(AttemptStatus.Cancelled, CheckoutCopy.Cancelled)]
    public async Task Each_closing_state_sends_exactly_one_email_with_the_outcome_sentence_and_the_status_link(AttemptStatus outcome, string sentence)
    {
        var attempt = await OpenAttemptAsync(Alice);
        await _core.CloseAsync(attempt.Id, outcome, txRefId: "tx_email_1");
        await _core.CloseAsync(attempt.Id, outcome, txRefId: "tx_email_1"); // the same outcome again (a duplicate path)
        if (outcome == AttemptStatus.Fulfilled)
        {
            await StoreReceiptAsync(attempt.Id);
        }

        await _core.Get<JobRunner>().RunDueAsync(default);
        await _core.Get<JobRunner>().RunDueAsync(default);

        var email = _smtp.To(Alice).ShouldHaveSingleItem();
        var body = email.TextBody.ShouldNotBeNull();
        body.ShouldContain(sentence);
        CountOf(body, sentence).ShouldBe(1);
        body.ShouldContain($"http://portal.test/checkout/{attempt.Id}/status");
        email.Subject.ShouldNotBeNull().ShouldContain(attempt.Id);
        email.MessageId.ShouldStartWith("outcome.");
        body.ShouldNotContain("gs_"); // no 0Gate session value
        if (outcome == AttemptStatus.Fulfilled)
        {
            body.ShouldContain("You paid: 25.00 EUR");
            body.ShouldContain("Fees (included): 0.50 EUR");
            body.ShouldContain("You receive: 24.5 USDC");
        }

        _smtp.Received.Count.ShouldBe(1);
        (await EmailRowsAsync()).ShouldHaveSingleItem().Result.ShouldBe(EmailResult.Sent);
    }

    [Fact]
    public async Task A_verification_request_sends_one_email_and_the_close_after_it_another()
    {
        var attempt = await OpenAttemptAsync(Alice);
        await _core.Get<AttemptWriter>().UpdateAsync(attempt.Id, (a, now) => a.NoteVerificationRequired(now), default);
        await _core.Get<JobRunner>().RunDueAsync(default);

        _smtp.To(Alice).ShouldHaveSingleItem().TextBody.ShouldNotBeNull().ShouldContain(CheckoutCopy.VerificationRequired);

        await _core.CloseAsync(attempt.Id, AttemptStatus.Failed);
        await _core.Get<JobRunner>().RunDueAsync(default);
        _smtp.To(Alice).Count.ShouldBe(2);
        _smtp.To(Alice).Count(m => m.TextBody?.Contains(CheckoutCopy.Failed, StringComparison.Ordinal) == true).ShouldBe(1);
    }

    [Fact]
    public async Task No_email_claim_no_email_and_no_job()
    {
        var attempt = await OpenAttemptAsync(email: null);
        await _core.CloseAsync(attempt.Id, AttemptStatus.Failed);
        await _core.Get<JobRunner>().RunDueAsync(default);

        _smtp.Received.ShouldBeEmpty();
        (await _core.WithDbAsync(db => db.Jobs.AnyAsync(j => j.Kind == JobKinds.EmailClosed))).ShouldBeFalse();
    }

    [Fact]
    public async Task A_run_killed_after_the_send_but_before_the_job_was_marked_done_does_not_send_again()
    {
        var attempt = await OpenAttemptAsync(Alice);
        await _core.CloseAsync(attempt.Id, AttemptStatus.Expired);
        await _core.Get<JobRunner>().RunDueAsync(default);
        _smtp.To(Alice).ShouldHaveSingleItem();

        // kill -9 between the SMTP server's 250 and the job's completion: the job row is due again.
        await _core.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("""UPDATE background_jobs SET "CompletedAt" = NULL, "LockedUntil" = NULL"""));
        (await _core.Get<JobRunner>().RunDueAsync(default)).ShouldBeGreaterThan(0);

        _smtp.To(Alice).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_run_killed_while_handing_the_message_over_is_never_sent_twice()
    {
        var attempt = await OpenAttemptAsync(Alice);
        await _core.CloseAsync(attempt.Id, AttemptStatus.Cancelled);
        var job = await _core.WithDbAsync(db => db.Jobs.AsNoTracking().SingleAsync(j => j.Kind == JobKinds.EmailClosed));

        // What a run killed mid-send leaves: the "sending" mark committed, the job not done (its lease ran out).
        await _core.Get<Portal.Core.Persistence.IStoreWriter>().WriteAsync((db, _) =>
        {
            db.OutcomeEmails.Add(new OutcomeEmail(job.Id, attempt.Id, EmailOccasion.Cancelled, "outcome.x@portal.test", _time.GetUtcNow()));
            return Task.FromResult(true);
        }, default);
        (await _core.Get<JobRunner>().RunDueAsync(default)).ShouldBe(1);

        _smtp.Received.ShouldBeEmpty(); // it may have arrived before the kill: never a second copy
        (await EmailRowsAsync()).ShouldHaveSingleItem().Result.ShouldBe(EmailResult.Uncertain);
        (await _core.WithDbAsync(db => db.Jobs.AsNoTracking().SingleAsync(j => j.Id == job.Id))).CompletedAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task An_smtp_server_that_is_down_is_tried_again_with_back_off_until_it_takes_the_email()
    {
        var port = TestSmtpServer.FreePort();
        await using var core = await StartCoreAsync(port);
        var attempt = await core.Get<AttemptWriter>().CreateAsync(new NewAttempt("acct_bob", CheckoutFlow.OffRamp, 50m, "EUR", "USDC", "polygon",
            Target: new SessionTarget("test", new Uri("http://portal.test/")), CustomerEmail: "bob@example.test"), default);
        await core.Get<AttemptWriter>().AttachSessionAsync(attempt.Id, "gs_" + Guid.NewGuid().ToString("n"), "req_test", default);
        await core.CloseAsync(attempt.Id, AttemptStatus.Failed);

        (await core.Get<JobRunner>().RunDueAsync(default)).ShouldBe(1);
        var failed = await core.WithDbAsync(db => db.Jobs.AsNoTracking().SingleAsync(j => j.Kind == JobKinds.EmailClosed));
        failed.CompletedAt.ShouldBeNull();
        failed.Tries.ShouldBe(1);
        failed.LastError.ShouldNotBeNull().ShouldStartWith("SMTP:");
        (await core.Get<JobRunner>().RunDueAsync(default)).ShouldBe(0); // not before its back-off

        await using var late = await TestSmtpServer.StartAsync(port);
        _time.Advance(TimeSpan.FromMinutes(1));
        (await core.Get<JobRunner>().RunDueAsync(default)).ShouldBe(1);

        var email = late.To("bob@example.test").ShouldHaveSingleItem();
        email.TextBody.ShouldNotBeNull().ShouldContain(CheckoutCopy.SellFailed);
        email.Subject.ShouldStartWith("Your sell order could not be completed");
    }

    private async Task<CoreHarness> StartCoreAsync(int smtpPort) => await CoreHarness.StartAsync(_time, provider: Provider, settings: new Dictionary<string, string?>
    {
        ["Email:SmtpHost"] = "127.0.0.1",
        ["Email:SmtpPort"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:UseTls"] = "false",
        ["Email:From"] = "0Gate Portal <checkout@portal.test>",
    });

    private async Task<CheckoutAttempt> OpenAttemptAsync(string? email)
    {
        var writer = _core.Get<AttemptWriter>();
        var attempt = await writer.CreateAsync(new NewAttempt("acct_alice", CheckoutFlow.OnRamp, 25m, "EUR", "USDC", "polygon",
            Target: new SessionTarget("test", new Uri("http://portal.test/")), CustomerEmail: email), default);
        return (await writer.AttachSessionAsync(attempt.Id, "gs_" + Guid.NewGuid().ToString("n"), "req_test", default)).Attempt!;
    }

    private Task<bool> StoreReceiptAsync(string attemptId) =>
        _core.Get<AttemptWriter>().StoreReceiptAsync(new AttemptReceipt(attemptId, "tx_email_1", "BUY", _time.GetUtcNow())
        {
            Token = "USDC",
            TokenAmount = "24.5",
            Currency = "EUR",
            FiatAmount = "24.50",
            TotalFees = "0.50",
            TotalPayOrReceive = "25.00",
            PaymentMethod = "CARD",
        }, "req_receipt", default);

    private Task<List<OutcomeEmail>> EmailRowsAsync() => _core.WithDbAsync(db => db.OutcomeEmails.AsNoTracking().ToListAsync());

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}

public sealed class OutcomeEmailTestsOnSqlite : OutcomeEmailTests
{
    protected override Portal.Core.Persistence.StoreProvider Provider => Portal.Core.Persistence.StoreProvider.Sqlite;
}

public sealed class OutcomeEmailTestsOnPostgreSql : OutcomeEmailTests
{
    protected override Portal.Core.Persistence.StoreProvider Provider => Portal.Core.Persistence.StoreProvider.PostgreSql;
}
