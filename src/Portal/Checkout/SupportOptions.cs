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
