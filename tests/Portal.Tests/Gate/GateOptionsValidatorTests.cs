using Microsoft.Extensions.Options;
using Portal.Core.Gate;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Gate;

public class GateOptionsValidatorTests
{
    private static GateOptions Valid() => new()
    {
        ApiBaseUrl = new Uri("https://api.example"),
        HostedBaseUrl = new Uri("https://gate.example"),
        SecretKey = "sk_test_abc",
        PublishableKey = "pk_test_abc",
        WebhookSecrets = ["whsec_abc"],
    };

    private static IEnumerable<string> Failures(GateOptions options) =>
        new GateOptionsValidator().Validate(null, options).Failures ?? [];

    [Fact]
    public void Valid_test_configuration_passes() => Failures(Valid()).ShouldBeEmpty();

    [Fact]
    public void Mixed_live_and_test_keys_are_refused()
    {
        var options = Valid();
        options.SecretKey = "sk_live_abc";

        Failures(options).ShouldContain(f => f.Contains("Gate:SecretKey") && f.Contains("must not be mixed"));
    }

    [Theory]
    [InlineData("", "Gate:SecretKey")]
    [InlineData("pk_test_abc", "Gate:SecretKey")]
    [InlineData("sk_test_", "Gate:SecretKey")]
    public void A_bad_secret_key_is_named(string secretKey, string key)
    {
        var options = Valid();
        options.SecretKey = secretKey;

        Failures(options).ShouldContain(f => f.StartsWith(key, StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_urls_are_named()
    {
        var options = Valid();
        options.ApiBaseUrl = null!;
        options.HostedBaseUrl = new Uri("/relative", UriKind.Relative);

        var failures = Failures(options).ToList();

        failures.ShouldContain(f => f.StartsWith("Gate:ApiBaseUrl is required", StringComparison.Ordinal));
        failures.ShouldContain(f => f.StartsWith("Gate:HostedBaseUrl is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Webhook_secrets_are_required_and_prefixed()
    {
        var options = Valid();
        options.WebhookSecrets = [];
        Failures(options).ShouldContain(f => f.StartsWith("Gate:WebhookSecrets", StringComparison.Ordinal));

        options.WebhookSecrets = ["whsec_ok", "not-a-secret"];
        Failures(options).ShouldContain(f => f.StartsWith("Gate:WebhookSecrets:1", StringComparison.Ordinal));
    }

    [Fact]
    public void The_host_refuses_to_start_with_mixed_keys_and_names_the_key()
    {
        using var app = new MixedKeysFactory();

        var error = Should.Throw<OptionsValidationException>(() => app.CreateClient());
        error.Message.ShouldContain("Gate:SecretKey");
        error.Message.ShouldNotContain("sk_live_portal_tests_secret"); // the message names the key, never its value
    }

    private sealed class MixedKeysFactory : PortalAppFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
            [new("Gate:SecretKey", "sk_live_portal_tests_secret")];
    }
}
