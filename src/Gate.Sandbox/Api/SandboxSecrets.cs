using System.Security.Cryptography;
using System.Text;
using Gate.Sandbox.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Gate.Sandbox.Api;

/// <summary>
/// The sandbox-held server secret (0Bit's side): keys embed tokens and receipt permalinks.
/// Never leaves the sandbox and is never logged.
/// </summary>
public sealed class SandboxSecrets
{
    private const string SettingKey = "server_secret";

    public SandboxSecrets(byte[] serverSecret)
    {
        EmbedTokenKey = HMACSHA256.HashData(serverSecret, "embed-token"u8);
        PermalinkKey = HMACSHA256.HashData(serverSecret, "receipt-permalink"u8);
    }

    public byte[] EmbedTokenKey { get; }
    public byte[] PermalinkKey { get; }

    /// <summary>Configured secret, else the one generated on first start and kept in the store.</summary>
    public static SandboxSecrets Load(SandboxDbContext db, SandboxOptions options)
    {
        if (!string.IsNullOrEmpty(options.ServerSecret))
        {
            return new SandboxSecrets(Encoding.UTF8.GetBytes(options.ServerSecret));
        }

        var stored = db.Settings.Find(SettingKey);
        if (stored is null)
        {
            stored = new SettingRecord { Key = SettingKey, Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
            db.Settings.Add(stored);
            db.SaveChanges();
        }

        return new SandboxSecrets(Convert.FromBase64String(stored.Value));
    }
}

/// <summary>The sandbox's public origin (for permalinks): configured, else the address Kestrel bound.</summary>
public sealed class SandboxUrls(IOptions<SandboxOptions> options, IServer server)
{
    public string PublicUrl
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(options.Value.PublicUrl))
            {
                return options.Value.PublicUrl.TrimEnd('/');
            }

            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? options.Value.Url;
            var uri = new UriBuilder(address);
            if (uri.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*")
            {
                uri.Host = "localhost";
            }

            return uri.Uri.GetLeftPart(UriPartial.Authority);
        }
    }
}
