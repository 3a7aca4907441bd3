using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// Debian's nginx running one of the shipped site templates (deploy/nginx/) for a test: rendered with the test's
/// values, in the foreground, with everything (configuration, pid, logs, temp files) inside the test's temp folder.
/// Also used by tests/Portal.E2E (linked source file).
/// </summary>
internal static class ThrowAwayNginx
{
    /// <summary>nginx's binary (/usr/sbin/nginx, else on PATH), or null when it is not installed.</summary>
    public static string? FindBinary()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "nginx"))
            .Prepend("/usr/sbin/nginx");
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>The shipped template <c>deploy/nginx/<paramref name="template"/></c> with every <c>${NAME}</c> placeholder filled.</summary>
    public static string RenderTemplate(string template, IReadOnlyDictionary<string, string> values)
    {
        var rendered = new StringBuilder(File.ReadAllText(BuiltPrograms.PathInRepository("deploy", "nginx", template)));
        foreach (var (name, value) in values)
        {
            rendered.Replace("${" + name + "}", value);
        }

        var text = rendered.ToString();
        text.ShouldNotContain("${PORTAL_", customMessage: $"{template} has a placeholder this test does not fill.");
        return text;
    }

    /// <summary>
    /// Writes <paramref name="site"/> and an nginx.conf that includes it into <paramref name="directory"/> and starts nginx
    /// in the foreground. The folder is opened to others first: when the tests run as root, nginx's workers run as an
    /// unprivileged user and must reach it.
    /// </summary>
    public static ChildProcess Start(string nginx, string directory, string site)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        var sitePath = Path.Combine(directory, "site.conf");
        File.WriteAllText(sitePath, site);
        var main = Path.Combine(directory, "nginx.conf");
        File.WriteAllText(main, MainConfiguration(directory, sitePath));
        return ChildProcess.Start(
            "nginx",
            nginx,
            ["-p", directory + "/", "-c", main, "-e", ErrorLog(directory)],
            new Dictionary<string, string?>(),
            directory);
    }

    public static string ErrorLog(string directory) => Path.Combine(directory, "error.log");

    /// <summary>nginx's error log in <paramref name="directory"/>, for failure messages.</summary>
    public static string ReadErrorLog(string directory) =>
        File.Exists(ErrorLog(directory)) ? File.ReadAllText(ErrorLog(directory)) : "(none)";

    /// <summary>
    /// A self-signed certificate for 127.0.0.1 (valid for a day) and its key, as PEM files in <paramref name="directory"/>;
    /// returns their paths and the certificate's thumbprint (to trust exactly this certificate).
    /// </summary>
    public static (string Certificate, string Key, string Thumbprint) WriteSelfSignedCertificate(string directory)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        var certificatePath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath, certificate.Thumbprint);
    }

    /// <summary>The rest of an nginx.conf: foreground, everything (pid, logs, temp files) inside <paramref name="root"/>.</summary>
    private static string MainConfiguration(string root, string site) => $$"""
        daemon off;
        worker_processes 1;
        pid {{root}}/nginx.pid;
        error_log {{root}}/error.log warn;
        events { worker_connections 2048; }
        http {
            access_log {{root}}/access.log;
            client_body_temp_path {{root}}/client_body;
            proxy_temp_path {{root}}/proxy;
            fastcgi_temp_path {{root}}/fastcgi;
            uwsgi_temp_path {{root}}/uwsgi;
            scgi_temp_path {{root}}/scgi;
            include {{site}};
        }
        """;
}
