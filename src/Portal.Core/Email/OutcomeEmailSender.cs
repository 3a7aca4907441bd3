using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Portal.Core.Persistence;
using Portal.Core.Records;

namespace Portal.Core.Email;

/// <summary>
/// Runs the durable email jobs (<see cref="JobKinds.EmailClosed"/>, <see cref="JobKinds.EmailVerification"/>) that a
/// closing or verification-requesting commit created, once per event. Sends at most once: the
/// <see cref="OutcomeEmail"/> row is committed as "sending" before the SMTP conversation, so a run interrupted after
/// that point (a crash, a kill, a connection lost while the message was handed over) is never sent again; an
/// SMTP server that refused the message before taking it is tried again with the job's back-off.
/// </summary>
public sealed class OutcomeEmailSender(
    IOptions<EmailOptions> options,
    IDbContextFactory<PortalDbContext> dbFactory,
    IStoreWriter store,
    TimeProvider time,
    ILogger<OutcomeEmailSender> logger)
{
    /// <summary>A fulfilment's email waits this long for the receipt (fetched by its own job) so it can carry the figures.</summary>
    public static readonly TimeSpan ReceiptWait = TimeSpan.FromMinutes(1);

    /// <summary>Sends the job's email; returns null when the job is done, or why it should be tried again.</summary>
    public async Task<string?> RunAsync(BackgroundJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var settings = options.Value;
        if (!settings.Enabled || job.AttemptId is null)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var attempt = await db.Attempts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == job.AttemptId, cancellationToken);
        if (attempt?.CustomerEmail is null)
        {
            return null; // no email claim, no email
        }

        var occasion = job.Kind == JobKinds.EmailVerification ? EmailOccasion.VerificationRequired : OutcomeEmailComposer.OccasionFor(attempt.Status);
        if (occasion is null)
        {
            return null;
        }

        var earlier = await db.OutcomeEmails.AsNoTracking().FirstOrDefaultAsync(e => e.JobId == job.Id, cancellationToken);
        switch (earlier?.Result)
        {
            case EmailResult.Sent or EmailResult.Uncertain:
                return null;
            case EmailResult.Sending:
                // A run stopped after it began handing the message over: it may have arrived. Never twice.
                await FinishAsync(job.Id, EmailResult.Uncertain, cancellationToken);
                logger.LogWarning("Outcome email {JobId} for {AttemptId} was interrupted while sending; not sent again", job.Id, job.AttemptId);
                return null;
        }

        var receipt = await db.Receipts.AsNoTracking().FirstOrDefaultAsync(r => r.AttemptId == attempt.Id, cancellationToken);
        var now = time.GetUtcNow();
        if (occasion == EmailOccasion.Fulfilled && receipt is null && now - job.CreatedAt < ReceiptWait)
        {
            return "waiting for the receipt";
        }

        var from = MailboxAddress.Parse(settings.From!);
        var messageId = OutcomeEmailComposer.MessageIdFor(job.Id, attempt.Id, from.Address);
        var message = OutcomeEmailComposer.Compose(attempt, receipt, occasion.Value, from, messageId, settings.PortalUrl, now);

        // Committed before the first byte goes out.
        await store.WriteAsync(async (write, ct) =>
        {
            if (await write.OutcomeEmails.FirstOrDefaultAsync(e => e.JobId == job.Id, ct) is { } row)
            {
                row.SendAgain(now);
            }
            else
            {
                write.OutcomeEmails.Add(new OutcomeEmail(job.Id, attempt.Id, occasion.Value, messageId, now));
            }

            return true;
        }, cancellationToken);

        var result = await SendAsync(settings, message, cancellationToken);
        await FinishAsync(job.Id, result.Result, cancellationToken);
        if (result.Result == EmailResult.Uncertain)
        {
            logger.LogWarning("Outcome email {JobId} for {AttemptId}: the connection broke while sending ({Error}); not sent again", job.Id, job.AttemptId, result.Error);
        }

        return result.Result == EmailResult.NotSent ? $"SMTP: {result.Error}" : null;
    }

    private static async Task<(EmailResult Result, string? Error)> SendAsync(EmailOptions settings, MimeMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient();
        try
        {
            var security = !settings.UseTls ? SecureSocketOptions.None
                : settings.SmtpPort == 465 ? SecureSocketOptions.SslOnConnect
                : SecureSocketOptions.StartTls;
            await client.ConnectAsync(settings.SmtpHost!, settings.SmtpPort, security, cancellationToken);
            if (!string.IsNullOrEmpty(settings.UserName))
            {
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? string.Empty, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (EmailResult.NotSent, Describe(ex)); // nothing was handed over
        }

        try
        {
            await client.SendAsync(message, cancellationToken);
        }
        catch (SmtpCommandException ex) when (ex.ErrorCode is SmtpErrorCode.SenderNotAccepted or SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted)
        {
            return (EmailResult.NotSent, Describe(ex)); // the server said no: it does not have the message
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (EmailResult.Uncertain, Describe(ex));
        }

        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Sent already; a rude goodbye changes nothing.
        }

        return (EmailResult.Sent, null);
    }

    private static string Describe(Exception ex) => ex switch
    {
        SmtpCommandException command => $"{(int)command.StatusCode} {command.ErrorCode}",
        _ => ex.GetType().Name,
    };

    private Task<bool> FinishAsync(long jobId, EmailResult result, CancellationToken cancellationToken) =>
        store.WriteAsync(async (db, ct) =>
        {
            var row = await db.OutcomeEmails.SingleAsync(e => e.JobId == jobId, ct);
            row.Finish(result, time.GetUtcNow());
            return true;
        }, cancellationToken);
}
