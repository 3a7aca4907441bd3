using Microsoft.Extensions.Options;

namespace Portal.Checkout;

/// <summary>The support contact for one attempt, with its reference filled in (mailto subject, or the URL).</summary>
public sealed class SupportContact(IOptions<SupportOptions> options)
{
    public string? HrefFor(string attemptId)
    {
        var contact = options.Value.Contact?.Trim();
        if (string.IsNullOrEmpty(contact))
        {
            return null;
        }

        var reference = Uri.EscapeDataString(attemptId);
        if (IsUrl(contact))
        {
            return contact.Contains("{attemptId}", StringComparison.Ordinal)
                ? contact.Replace("{attemptId}", reference, StringComparison.Ordinal)
                : contact + (contact.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "reference=" + reference;
        }

        var address = contact.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? contact["mailto:".Length..] : contact;
        return $"mailto:{address}?subject={Uri.EscapeDataString($"Checkout {attemptId}")}";
    }

    internal static bool IsUrl(string contact) =>
        Uri.TryCreate(contact, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    internal static bool IsAddress(string contact)
    {
        var address = contact.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? contact["mailto:".Length..] : contact;
        return MimeKit.MailboxAddress.TryParse(address, out var mailbox) && mailbox.Address == address && address.Contains('@', StringComparison.Ordinal);
    }
}
