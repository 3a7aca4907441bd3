using System.Text;
using MimeKit;
using Portal.Core.Attempts;
using Portal.Core.Reads;
using Portal.Core.Records;

namespace Portal.Core.Email;

/// <summary>
/// The words of an outcome email: the seeds' outcome sentence (the same one the status page shows), the receipt's
/// figures where there is a receipt, and the link to <c>/checkout/{id}/status</c>. Plain text: nothing to render,
/// nothing to track. Never a secret, a 0Gate session value or a raw payload.
/// </summary>
public static class OutcomeEmailComposer
{
    public static EmailOccasion? OccasionFor(AttemptStatus status) => status switch
    {
        AttemptStatus.Fulfilled => EmailOccasion.Fulfilled,
        AttemptStatus.Failed => EmailOccasion.Failed,
        AttemptStatus.Expired => EmailOccasion.Expired,
        AttemptStatus.Cancelled => EmailOccasion.Cancelled,
        _ => null,
    };

    public static OutcomeView ViewFor(EmailOccasion occasion) => occasion switch
    {
        EmailOccasion.Fulfilled => OutcomeView.Success,
        EmailOccasion.Failed => OutcomeView.Failed,
        EmailOccasion.Expired => OutcomeView.Expired,
        EmailOccasion.Cancelled => OutcomeView.Cancelled,
        EmailOccasion.VerificationRequired => OutcomeView.VerificationRequired,
        _ => throw new ArgumentOutOfRangeException(nameof(occasion), occasion, null),
    };

    /// <summary>The status page's address: from the return URL the attempt gave 0Gate, else the configured portal URL.</summary>
    public static string StatusUrl(CheckoutAttempt attempt, Uri? portalUrl)
    {
        if (portalUrl is not null)
        {
            return new Uri(portalUrl, $"checkout/{attempt.Id}/status").ToString();
        }

        if (attempt.ReturnUrl is { } returnUrl && returnUrl.EndsWith("/return", StringComparison.Ordinal))
        {
            return returnUrl[..^"return".Length] + "status";
        }

        return $"/checkout/{attempt.Id}/status";
    }

    /// <summary>Same job, same id: a receiving server (and a reader) can tell a repeat from a new email.</summary>
    public static string MessageIdFor(long jobId, string attemptId, string fromAddress)
    {
        var at = fromAddress.LastIndexOf('@');
        var domain = at >= 0 && at < fromAddress.Length - 1 ? fromAddress[(at + 1)..] : "portal.invalid";
        return $"outcome.{jobId}.{attemptId}@{domain}";
    }

    public static MimeMessage Compose(
        CheckoutAttempt attempt, AttemptReceipt? receipt, EmailOccasion occasion, MailboxAddress from, string messageId, Uri? portalUrl, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var copy = CheckoutCopy.For(attempt.Flow, ViewFor(occasion));
        var message = new MimeMessage();
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse(attempt.CustomerEmail!));
        message.MessageId = messageId;
        message.Date = at;
        message.Subject = $"{Subject(occasion, attempt.Flow)} ({attempt.Id})";
        message.Body = new TextPart(MimeKit.Text.TextFormat.Plain) { Text = Body(attempt, receipt, copy, StatusUrl(attempt, portalUrl)) };
        return message;
    }

    public static string Subject(EmailOccasion occasion, CheckoutFlow flow)
    {
        var what = flow switch
        {
            CheckoutFlow.OffRamp => "Your sell order",
            CheckoutFlow.Swap => "Your swap",
            _ => "Your checkout",
        };
        return occasion switch
        {
            EmailOccasion.Fulfilled => $"{what} is complete",
            EmailOccasion.Failed => $"{what} could not be completed",
            EmailOccasion.Expired => $"{what} expired",
            EmailOccasion.Cancelled => $"{what} was cancelled",
            EmailOccasion.VerificationRequired => $"{what} needs you to verify your identity",
            _ => throw new ArgumentOutOfRangeException(nameof(occasion), occasion, null),
        };
    }

    private static string Body(CheckoutAttempt attempt, AttemptReceipt? receipt, OutcomeCopy copy, string statusUrl)
    {
        var text = new StringBuilder();
        text.AppendLine(copy.Message).AppendLine();
        if (receipt is not null)
        {
            foreach (var (label, value) in ReceiptLines(receipt, attempt.Flow))
            {
                text.Append(label).Append(": ").AppendLine(value);
            }

            text.AppendLine();
        }

        text.Append("Reference: ").AppendLine(attempt.Id);
        text.Append("Status and receipt: ").AppendLine(statusUrl).AppendLine();
        text.AppendLine("You received this email because you started this checkout. The status page always shows its current state.");
        return text.ToString();
    }

    /// <summary>The receipt's figures, labelled as on the status page; 0Gate's strings exactly, never recomputed.</summary>
    public static IEnumerable<(string Label, string Value)> ReceiptLines(AttemptReceipt receipt, CheckoutFlow flow)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        if (receipt.Action == "SELL")
        {
            yield return ("You sold", Money(receipt.TokenAmount, receipt.Token));
            yield return ("Sale amount", Money(receipt.FiatAmount, receipt.Currency));
            yield return ("Fees", Money(receipt.TotalFees, receipt.Currency));
            yield return ("You receive", Money(receipt.TotalPayOrReceive, receipt.Currency));
        }
        else
        {
            yield return (flow == CheckoutFlow.Swap ? "You swapped" : "You paid", Money(receipt.TotalPayOrReceive ?? receipt.FiatAmount, receipt.Currency));
            yield return ("Fees (included)", Money(receipt.TotalFees, receipt.Currency));
            yield return ("You receive", Money(receipt.TokenAmount, receipt.Token));
        }

        if (receipt.PaymentMethod is { Length: > 0 } method)
        {
            yield return ("Method", method);
        }

        yield return ("Transaction", receipt.TxRefId);
    }

    private static string Money(string? amount, string? unit) =>
        amount is null ? "–" : unit is null ? amount : $"{amount} {unit}";
}
