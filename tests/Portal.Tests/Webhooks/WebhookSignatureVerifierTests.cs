using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Gate;
using Portal.Core.Webhooks;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Webhooks;

public class WebhookSignatureVerifierTests
{
    // Known answers computed outside .NET (Python hmac and `openssl dgst -sha256 -hmac`):
    // hex(HMAC-SHA256(key = "whsec_portal_sandbox_dev_only", "1700000000." + KatBody)).
    private const string KatSecret = "whsec_portal_sandbox_dev_only";
    private const string KatBody = """{"id":"evt_kat_1","type":"gate_session.completed"}""";
    private const long KatTimestamp = 1700000000;
    private const string KatSignature = "952ed2cdb9ce718c7950b91a29f3b4c14b87ffc6843769d67adc3b3ac2ef150c";
    private const string KatRotatedSecret = "whsec_old_rotated_secret";
    private const string KatRotatedSignature = "94432dd46f4df394db96dbc4c50520cfb99c1e7712dddb0705704fd7529993b4";

    // Non-ASCII body: the MAC is over bytes, not characters.
    private const string KatUtf8Body = """{"id":"evt_kat_2","type":"gate_session.failed","data":{"id":"gs_123","note":"café"}}""";
    private const long KatUtf8Timestamp = 1767225600;
    private const string KatUtf8Signature = "73a046a9a916a917a8abb70684b36c213e27d9e0b85a5d95512b2cb9b70b8861";

    private static readonly byte[] Body = Encoding.UTF8.GetBytes(KatBody);

    private static WebhookSignatureVerifier Verifier(long nowUnix, params string[] secrets)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(nowUnix));
        var options = Options.Create(new GateOptions { WebhookSecrets = secrets.Length > 0 ? secrets : [KatSecret], SignatureToleranceSeconds = 300 });
        return new WebhookSignatureVerifier(options, clock);
    }

    [Fact]
    public void Known_answer_vector_verifies()
    {
        var check = Verifier(KatTimestamp).Verify(Body, $"t={KatTimestamp},v1={KatSignature}");

        check.IsValid.ShouldBeTrue();
        check.SignedAt.ShouldBe(DateTimeOffset.FromUnixTimeSeconds(KatTimestamp));
        check.SkewSeconds.ShouldBe(0);
    }

    [Fact]
    public void Known_answer_vector_over_utf8_bytes_verifies()
    {
        Verifier(KatUtf8Timestamp).Verify(Encoding.UTF8.GetBytes(KatUtf8Body), $"t={KatUtf8Timestamp},v1={KatUtf8Signature}")
            .IsValid.ShouldBeTrue();
    }

    [Fact]
    public void Upper_case_hex_is_accepted() =>
        Verifier(KatTimestamp).Verify(Body, $"t={KatTimestamp},v1={KatSignature.ToUpperInvariant()}").IsValid.ShouldBeTrue();

    [Fact]
    public void Test_signer_agrees_with_the_known_answer() =>
        TestWebhookSigner.Sign(KatSecret, KatTimestamp, Body).ShouldBe(KatSignature);

    [Fact]
    public void Tampered_body_fails()
    {
        var tampered = Encoding.UTF8.GetBytes(KatBody.Replace("completed", "completes", StringComparison.Ordinal));
        Verifier(KatTimestamp).Verify(tampered, $"t={KatTimestamp},v1={KatSignature}").Failure.ShouldBe(SignatureFailure.NoMatchingSignature);
    }

    [Fact]
    public void Every_single_flipped_byte_fails()
    {
        var verifier = Verifier(KatTimestamp);
        for (var i = 0; i < Body.Length; i++)
        {
            var copy = (byte[])Body.Clone();
            copy[i] ^= 0x01;
            verifier.Verify(copy, $"t={KatTimestamp},v1={KatSignature}").IsValid.ShouldBeFalse($"byte {i}");
        }
    }

    [Fact]
    public void Changed_timestamp_with_the_same_signature_fails() =>
        Verifier(KatTimestamp).Verify(Body, $"t={KatTimestamp + 1},v1={KatSignature}").Failure.ShouldBe(SignatureFailure.NoMatchingSignature);

    [Theory]
    [InlineData(300, true)]
    [InlineData(-300, true)]
    [InlineData(301, false)]
    [InlineData(-301, false)]
    public void Tolerance_applies_in_both_directions(long clockOffsetSeconds, bool valid)
    {
        // The portal's clock is ahead of (positive) or behind (negative) the signature timestamp.
        var check = Verifier(KatTimestamp + clockOffsetSeconds).Verify(Body, $"t={KatTimestamp},v1={KatSignature}");

        check.IsValid.ShouldBe(valid);
        if (!valid)
        {
            check.Failure.ShouldBe(SignatureFailure.TimestampOutOfTolerance);
            check.SkewSeconds.ShouldBe(-clockOffsetSeconds);
        }
    }

    [Fact]
    public void Several_v1_with_one_valid_passes()
    {
        var wrong = new string('0', 64);
        Verifier(KatTimestamp).Verify(Body, $"t={KatTimestamp},v1={wrong},v1={KatSignature},v1={wrong.Replace('0', 'a')}")
            .IsValid.ShouldBeTrue();
    }

    [Fact]
    public void V0_only_fails() =>
        Verifier(KatTimestamp).Verify(Body, $"t={KatTimestamp},v0={KatSignature}").Failure.ShouldBe(SignatureFailure.NoV1Signature);

    [Fact]
    public void V0_entries_beside_a_valid_v1_are_ignored() =>
        Verifier(KatTimestamp).Verify(Body, $"t={KatTimestamp},v0=deadbeef,v1={KatSignature},x9=1").IsValid.ShouldBeTrue();

    [Theory]
    [InlineData("t")]
    [InlineData("t=,v1=")]
    [InlineData(",,")]
    [InlineData("t=abc,v1=952ed2cdb9ce718c7950b91a29f3b4c14b87ffc6843769d67adc3b3ac2ef150c")]
    [InlineData("t=-1700000000,v1=952ed2cdb9ce718c7950b91a29f3b4c14b87ffc6843769d67adc3b3ac2ef150c")]
    [InlineData("t=1700000000,t=1700000000,v1=952ed2cdb9ce718c7950b91a29f3b4c14b87ffc6843769d67adc3b3ac2ef150c")]
    [InlineData("v1=952ed2cdb9ce718c7950b91a29f3b4c14b87ffc6843769d67adc3b3ac2ef150c")]
    [InlineData("t=1700000000;v1=952ed2cdb9ce718c7950b91a29f3b4c14b87ffc6843769d67adc3b3ac2ef150c")]
    [InlineData("garbage")]
    public void Malformed_headers_fail(string header) =>
        Verifier(KatTimestamp).Verify(Body, header).Failure.ShouldBe(SignatureFailure.MalformedHeader);

    [Theory]
    [InlineData("t=1700000000,v1=zz2ed2cdb9ce718c7950b91a29f3b4c14b87ffc6843769d67adc3b3ac2ef150c")]
    [InlineData("t=1700000000,v1=952ed2cdb9ce718c")]
    [InlineData("t=1700000000,v1=")]
    public void Bad_hex_v1_values_are_wrong_signatures_not_missing_ones(string header) =>
        Verifier(KatTimestamp).Verify(Body, header).Failure.ShouldBe(SignatureFailure.NoMatchingSignature);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Missing_header_fails(string? header) =>
        Verifier(KatTimestamp).Verify(Body, header).Failure.ShouldBe(SignatureFailure.MissingHeader);

    [Fact]
    public void Rotated_secret_is_accepted_while_configured()
    {
        var header = $"t={KatTimestamp},v1={KatRotatedSignature}";

        Verifier(KatTimestamp, KatSecret, KatRotatedSecret).Verify(Body, header).IsValid.ShouldBeTrue();
        Verifier(KatTimestamp, KatSecret).Verify(Body, header).Failure.ShouldBe(SignatureFailure.NoMatchingSignature);
    }

    [Fact]
    public void A_valid_check_names_the_secret_that_verified_it_by_fingerprint_only()
    {
        // Fingerprints computed outside .NET: printf %s "$secret" | sha256sum | cut -c1-12
        var verifier = Verifier(KatTimestamp, KatSecret, KatRotatedSecret);

        verifier.Verify(Body, $"t={KatTimestamp},v1={KatSignature}").SecretFingerprint.ShouldBe("sha256:b2a479a34acb");
        verifier.Verify(Body, $"t={KatTimestamp},v1={KatRotatedSignature}").SecretFingerprint.ShouldBe("sha256:4c3efd706b4f");
        verifier.Verify(Body, $"t={KatTimestamp},v1={new string('0', 64)}").SecretFingerprint.ShouldBeNull();
    }

    [Fact]
    public void The_key_is_the_whole_whsec_string_including_its_prefix()
    {
        var withoutPrefix = TestWebhookSigner.Sign(KatSecret["whsec_".Length..], KatTimestamp, Body);
        Verifier(KatTimestamp).Verify(Body, $"t={KatTimestamp},v1={withoutPrefix}").IsValid.ShouldBeFalse();
    }
}
