using System.ComponentModel.DataAnnotations;

namespace Portal.Auth;

/// <summary>The OpenID Connect provider the portal signs people in with (section <c>Oidc</c>).</summary>
public sealed class OidcSettings : IValidatableObject
{
    public const string SectionName = "Oidc";

    [Required(ErrorMessage = "Oidc:Authority is required (the identity provider's issuer URL).")]
    public string Authority { get; set; } = "";

    [Required(ErrorMessage = "Oidc:ClientId is required.")]
    public string ClientId { get; set; } = "";

    [Required(ErrorMessage = "Oidc:ClientSecret is required.")]
    public string ClientSecret { get; set; } = "";

    /// <summary>The claim that carries role names (<c>role</c>; Entra ID app roles use <c>roles</c>).</summary>
    [Required(ErrorMessage = "Oidc:RoleClaim must not be empty.")]
    public string RoleClaim { get; set; } = "role";

    /// <summary>Plain http is only acceptable for a provider on this machine (the development provider).</summary>
    public bool IsLoopbackHttp => Uri.TryCreate(Authority, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttp
        && uri.IsLoopback;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority)
            || (authority.Scheme != Uri.UriSchemeHttps && !IsLoopbackHttp))
        {
            yield return new ValidationResult(
                "Oidc:Authority must be an absolute https URL (http is accepted only for localhost).",
                [nameof(Authority)]);
        }
    }
}
