namespace Portal.Auth;

/// <summary>
/// How the portal's cookies are sent (section <c>Cookies</c>). <see cref="Secure"/> defaults to true everywhere but
/// Development, where the portal runs on plain http and browsers would refuse <c>Secure</c> and <c>__Host-</c> cookies.
/// </summary>
public sealed class CookieSettings
{
    public const string SectionName = "Cookies";

    /// <summary>
    /// True: the session, OIDC correlation and nonce, and antiforgery cookies are always <c>Secure</c>, carry the
    /// <c>__Host-</c> prefix and <c>Path=/</c> with no <c>Domain</c>. False: today's development names, <c>Secure</c>
    /// only when the request is https.
    /// </summary>
    public bool Secure { get; set; } = true;
}
