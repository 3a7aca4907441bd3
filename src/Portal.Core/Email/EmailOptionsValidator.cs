using Microsoft.Extensions.Options;

namespace Portal.Core.Email;

/// <summary>Start-up validation with messages that name the key at fault.</summary>
public sealed class EmailOptionsValidator : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (options.SmtpPort is < 1 or > 65535)
        {
            failures.Add("Email:SmtpPort must be between 1 and 65535.");
        }

        if (string.IsNullOrWhiteSpace(options.From) || !MimeKit.MailboxAddress.TryParse(options.From, out _))
        {
            failures.Add("Email:From is required when Email:SmtpHost is set and must be an email address (optionally with a name).");
        }

        if (string.IsNullOrEmpty(options.UserName) != string.IsNullOrEmpty(options.Password))
        {
            failures.Add("Email:UserName and Email:Password are set together or not at all.");
        }

        if (options.PortalUrl is { } portal && (!portal.IsAbsoluteUri || portal.Scheme is not ("http" or "https")))
        {
            failures.Add("Email:PortalUrl must be an absolute http(s) URL.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
