namespace Portal.Core.Attempts;

/// <summary>The direction of a checkout, as 0Gate names it on the wire.</summary>
public enum CheckoutFlow
{
    /// <summary>Buy: fiat in, crypto out (<c>on_ramp</c>).</summary>
    OnRamp,

    /// <summary>Sell: crypto in, fiat out (<c>off_ramp</c>).</summary>
    OffRamp,

    /// <summary>Swap: crypto in, crypto out (<c>swap</c>).</summary>
    Swap,
}
