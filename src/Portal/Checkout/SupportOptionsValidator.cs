using Microsoft.Extensions.Options;

namespace Portal.Checkout;

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
