using System.Globalization;
using System.Text.RegularExpressions;
using Portal.Core.Attempts;
using Portal.Core.Gate;

namespace Portal.Core.Checkout;

public static partial class StartCheckoutRules
{
    public const decimal MaxAmount = 1_000_000m;

    /// <summary>Field name → customer-facing message. Empty when the form is valid for what 0Gate allows now.</summary>
    public static IReadOnlyDictionary<string, string> Validate(StartCheckout form, GateCapabilities capabilities)
    {
        var errors = new Dictionary<string, string>();
        if (!capabilities.Flows.Contains(form.Flow.ToWire()))
        {
            errors[nameof(form.Flow)] = "This kind of checkout is not available right now.";
            return errors;
        }

        if (!TryParseAmount(form.Amount, form.Flow, out _, out var amountProblem, capabilities.AssetFor(form.Currency)))
        {
            errors[nameof(form.Amount)] = amountProblem;
        }

        var (source, target) = Choices(form.Flow, capabilities);
        if (string.IsNullOrEmpty(form.Currency) || !source.Contains(form.Currency))
        {
            errors[nameof(form.Currency)] = form.Flow == CheckoutFlow.Swap ? "Choose the asset to swap." : "Choose a currency.";
        }

        if (string.IsNullOrEmpty(form.TargetToken) || !target.Contains(form.TargetToken))
        {
            errors[nameof(form.TargetToken)] = form.Flow switch
            {
                CheckoutFlow.OffRamp => "Choose the asset to sell.",
                _ => "Choose the token to receive.",
            };
        }
        else if (form.Flow == CheckoutFlow.Swap && form.TargetToken == form.Currency)
        {
            errors[nameof(form.TargetToken)] = "Choose a different asset to receive.";
        }

        if (string.IsNullOrEmpty(form.TargetNetwork) || !capabilities.Networks.Contains(form.TargetNetwork))
        {
            errors[nameof(form.TargetNetwork)] = "Choose a network.";
        }

        if (!string.IsNullOrWhiteSpace(form.WalletAddress) && !EvmAddress().IsMatch(form.WalletAddress.Trim()))
        {
            errors[nameof(form.WalletAddress)] = "Enter a wallet address like 0x followed by 40 hexadecimal characters, or leave it empty.";
        }

        return errors;
    }

    /// <summary>What each side of the form may hold: (the <c>currency</c> choices, the <c>target_token</c> choices).</summary>
    public static (IReadOnlyList<string> Sources, IReadOnlyList<string> Targets) Choices(CheckoutFlow flow, GateCapabilities capabilities) =>
        flow == CheckoutFlow.Swap ? (capabilities.Tokens, capabilities.Tokens) : (capabilities.Currencies, capabilities.Tokens);

    /// <summary>Fiat amounts have cents; token amounts (swaps) up to 8 decimals.</summary>
    public static int MaxDecimals(CheckoutFlow flow) => flow == CheckoutFlow.Swap ? 8 : 2;

    /// <summary>An amount as the form expects it, e.g. <c>10.50</c> (fiat) or <c>0.025</c> (tokens).</summary>
    public static string AmountExample(CheckoutFlow flow) => flow == CheckoutFlow.Swap ? "0.025" : "10.50";

    /// <summary>The hint beside the field: what the form accepts.</summary>
    public static string AmountHint(CheckoutFlow flow) => $"Use a dot for decimals, for example {AmountExample(flow)}";

    /// <summary>
    /// Digits with an optional <c>.</c> and at most <see cref="MaxDecimals"/> decimals, greater than zero and at most
    /// <see cref="MaxAmount"/>. Anything else (<c>10,50</c>, <c>1e5</c>, <c>1 000</c>, <c>-1</c>, <c>0</c>) is refused
    /// with a message showing the expected form; nothing is guessed. Only surrounding spaces are ignored.
    /// </summary>
    /// <param name="asset">What 0Gate says about the amount's currency or token: its decimals and its minimum and
    /// maximum, which then replace the defaults (and are named in the message when an amount is outside them).</param>
    public static bool TryParseAmount(string? text, CheckoutFlow flow, out decimal amount, out string problem, GateAsset? asset = null)
    {
        amount = 0;
        var value = text?.Trim() ?? string.Empty;
        var example = AmountExample(flow);
        var decimals = asset?.Decimals ?? MaxDecimals(flow);
        var max = asset?.Max ?? MaxAmount;
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        var places = dot < 0 ? 0 : value.Length - dot - 1;
        problem = value switch
        {
            "" => $"Enter an amount, for example {example}.",
            _ when value.Contains(',', StringComparison.Ordinal) => $"{AmountHint(flow)} (not a comma).",
            _ when value.StartsWith('-') => $"Enter an amount greater than zero, for example {example}.",
            _ when !AmountShape().IsMatch(value) => $"Enter digits only. {AmountHint(flow)}.",
            _ when places > decimals => $"Use at most {decimals} decimal places, for example {example}.",
            _ when !decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount) || amount > max =>
                asset is null
                    ? $"Enter an amount of at most {MaxAmount.ToString("N0", CultureInfo.InvariantCulture)}."
                    : $"The maximum for {asset.Code} is {asset.Format(max)} {asset.Code}.",
            _ when amount <= 0 => $"Enter an amount greater than zero, for example {example}.",
            _ when asset?.Min is { } min && amount < min => $"The minimum for {asset.Code} is {asset.Format(min)} {asset.Code}.",
            _ => string.Empty,
        };

        if (problem.Length > 0)
        {
            amount = 0;
            return false;
        }

        return true;
    }

    [GeneratedRegex("^[0-9]+(\\.[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex AmountShape();

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    private static partial Regex EvmAddress();
}
