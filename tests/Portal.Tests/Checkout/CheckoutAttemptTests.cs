using Portal.Core.Checkout;

namespace Portal.Tests.Checkout;

public class CheckoutAttemptTests
{
    [Fact]
    public void Ids_are_opaque_random_and_128_bits()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => AttemptId.New()).ToList();

        ids.Distinct().Count().ShouldBe(1000);
        ids.ShouldAllBe(id => AttemptId.IsWellFormed(id));
        ids[0].Length.ShouldBe("att_".Length + 26); // 26 base32 characters carry 130 bits ≥ 128 random bits
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("att_")]
    [InlineData("att_../../etc/passwd")]
    [InlineData("ATT_aaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("att_AAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("att_aaaaaaaaaaaaaaaaaaaaaaaaa1")]
    public void Malformed_ids_are_rejected(string? id) => AttemptId.IsWellFormed(id).ShouldBeFalse();

    [Fact]
    public void A_new_attempt_starts_pending_and_derives_a_stable_idempotency_key()
    {
        var now = DateTimeOffset.UtcNow;
        var attempt = new CheckoutAttempt("user-1", CheckoutFlow.OffRamp, 0.5m, "ETH", "EUR", "ethereum", null, now);
        var other = new CheckoutAttempt("user-1", CheckoutFlow.OffRamp, 0.5m, "ETH", "EUR", "ethereum", null, now);

        attempt.Status.ShouldBe(AttemptStatus.PendingSession);
        attempt.IsTerminal.ShouldBeFalse();
        attempt.SessionIdempotencyKey.ShouldBe(attempt.SessionIdempotencyKey);
        attempt.SessionIdempotencyKey.ShouldNotBe(other.SessionIdempotencyKey);
        attempt.SessionIdempotencyKey.ToString().ShouldMatch("^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    }

    [Fact]
    public void Amount_must_be_positive() =>
        Should.Throw<ArgumentOutOfRangeException>(() => new CheckoutAttempt("u", CheckoutFlow.OnRamp, 0m, "EUR", "USDC", "base", null, DateTimeOffset.UtcNow));
}
