namespace Portal.Core.Attempts;

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
