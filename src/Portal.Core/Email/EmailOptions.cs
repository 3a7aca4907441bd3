namespace Portal.Core.Email;

/// <summary>Outcome emails through SMTP. Section <c>Email</c>; no <see cref="SmtpHost"/>, no email.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    public string? SmtpHost { get; set; }

    public int SmtpPort { get; set; } = 587;

    /// <summary>The sender, e.g. <c>Portal &lt;checkout@partner.example&gt;</c>. Required once <see cref="SmtpHost"/> is set.</summary>
    public string? From { get; set; }

    public string? UserName { get; set; }

    /// <summary>Server only: never logged or rendered.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// TLS on the SMTP connection: implicit TLS on port 465, STARTTLS (required) elsewhere. False sends in the clear,
    /// which only a loopback catcher (the dev mail catcher) should accept.
    /// </summary>
    public bool UseTls { get; set; } = true;

    /// <summary>The portal's public origin for the status link, when attempts carry no return URL to take it from.</summary>
    public Uri? PortalUrl { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(SmtpHost);

    // The password stays out of any accidental string formatting (logs, exception messages).
    public override string ToString() => $"Email(host={SmtpHost}, port={SmtpPort}, tls={UseTls})";
}
