namespace Portal.Auth;

public static class ReturnUrls
{
    /// <summary>
    /// Keeps a return URL only when it is a path on this site: it starts with a single <c>/</c> and not
    /// <c>//</c> or <c>/\</c> (which browsers treat as another host). Anything else becomes <c>/</c>.
    /// </summary>
    public static string LocalOrRoot(string? returnUrl) =>
        returnUrl is ['/'] or ['/', not ('/' or '\\'), ..] && !returnUrl.Any(char.IsControl)
            ? returnUrl
            : "/";

    /// <summary>The portal's sign-in address that brings the user back to <paramref name="returnUrl"/>.</summary>
    public static string LoginUrl(string? returnUrl) =>
        $"{AuthEndpoints.LoginPath}?returnUrl={Uri.EscapeDataString(LocalOrRoot(returnUrl))}";
}
