namespace Portal.Core.Gate;

/// <summary>
/// One currency's or token's amounts as 0Gate takes them: its own decimals (EUR 2, USDC 6, ETH 18) and the smallest and
/// largest session amount, as exact decimal strings (never floating point).
/// </summary>
public sealed record GateAsset(string Code, int Decimals, string? MinAmount, string? MaxAmount)
{
    public decimal? Min => Parse(MinAmount);

    public decimal? Max => Parse(MaxAmount);

    /// <summary>An amount written with exactly this asset's decimals, e.g. <c>10.50 EUR</c>.</summary>
    public string Format(decimal amount) =>
        amount.ToString("F" + Math.Clamp(Decimals, 0, 28).ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);

    private static decimal? Parse(string? value) =>
        decimal.TryParse(value, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
}
