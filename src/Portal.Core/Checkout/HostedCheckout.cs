namespace Portal.Core.Checkout;

/// <summary>The hosted flow to mount: the iframe URL carries the client secret in its fragment only.</summary>
public sealed record HostedCheckout(string AttemptId, Uri FrameUrl, string HostedOrigin)
{
    public override string ToString() => $"HostedCheckout({AttemptId})";
}
