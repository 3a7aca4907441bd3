using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Portal.Hosting;

/// <summary>
/// Which hops may tell the portal the client's scheme and address (section <c>ForwardedHeaders</c>): the
/// TLS-terminating proxy in front of it. When neither list is set, only loopback is trusted (a proxy on the same
/// machine). Setting either list replaces that default entirely.
/// </summary>
public sealed class ForwardedHeadersSettings : IValidatableObject
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Proxy addresses, e.g. <c>10.0.0.5</c> or <c>::1</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    public bool UsesLoopbackDefault => KnownProxies.Length == 0 && KnownNetworks.Length == 0;

    public IEnumerable<IPAddress> ProxyAddresses() => KnownProxies.Select(proxy => IPAddress.Parse(proxy.Trim()));

    public IEnumerable<IPNetwork> ProxyNetworks() => KnownNetworks.Select(network => IPNetwork.Parse(network.Trim()));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < KnownProxies.Length; i++)
        {
            if (!IPAddress.TryParse(KnownProxies[i]?.Trim(), out _))
            {
                yield return new ValidationResult(
                    $"{SectionName}:{nameof(KnownProxies)}:{i} must be an IP address such as 10.0.0.5 ('{KnownProxies[i]}' is not).",
                    [nameof(KnownProxies)]);
            }
        }

        for (var i = 0; i < KnownNetworks.Length; i++)
        {
            if (!IPNetwork.TryParse(KnownNetworks[i]?.Trim(), out _))
            {
                yield return new ValidationResult(
                    $"{SectionName}:{nameof(KnownNetworks)}:{i} must be a network in CIDR notation such as 10.0.0.0/24 ('{KnownNetworks[i]}' is not).",
                    [nameof(KnownNetworks)]);
            }
        }
    }
}
