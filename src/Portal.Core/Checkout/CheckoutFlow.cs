namespace Portal.Core.Checkout;

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

public static class CheckoutFlowNames
{
    public static string ToWire(this CheckoutFlow flow) => flow switch
    {
        CheckoutFlow.OnRamp => "on_ramp",
        CheckoutFlow.OffRamp => "off_ramp",
        CheckoutFlow.Swap => "swap",
        _ => throw new ArgumentOutOfRangeException(nameof(flow), flow, null),
    };

    public static bool TryParse(string? value, out CheckoutFlow flow)
    {
        switch (value)
        {
            case "on_ramp": flow = CheckoutFlow.OnRamp; return true;
            case "off_ramp": flow = CheckoutFlow.OffRamp; return true;
            case "swap": flow = CheckoutFlow.Swap; return true;
            default: flow = default; return false;
        }
    }
}
