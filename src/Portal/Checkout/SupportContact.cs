using Microsoft.Extensions.Options;

namespace Portal.Checkout;

/// <summary>Section <c>Support</c>: where customers reach support.</summary>
public sealed class SupportOptions
{
    public const string Section = "Support";

    /// <summary>
    /// An email address (<c>help@partner.example</c>) or an http(s) URL; a URL may hold <c>{attemptId}</c> where the
    /// reference goes, otherwise it is added as <c>?reference=</c>. Empty: no contact link is shown.
    /// </summary>
    public string? Contact { get; set; }
}

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

/// <summary>A contact that is neither an address nor an http(s) URL stops the start-up, naming the key.</summary>
public sealed class SupportOptionsValidator : IValidateOptions<SupportOptions>
{
    public ValidateOptionsResult Validate(string? name, SupportOptions options)
    {
        var contact = options.Contact?.Trim();
        return string.IsNullOrEmpty(contact) || SupportContact.IsUrl(contact) || SupportContact.IsAddress(contact)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Support:Contact must be an email address or an absolute http(s) URL (it may contain {attemptId}).");
    }
}
