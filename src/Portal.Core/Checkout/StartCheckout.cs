using System.Text.RegularExpressions;
using Portal.Core.Gate;

namespace Portal.Core.Checkout;

/// <summary>
/// A customer's start form, in 0Gate's session terms: <see cref="Amount"/> and <see cref="Currency"/>
/// are the value bound to the session. Buy: fiat to spend on <see cref="TargetToken"/>. Sell: fiat to
/// receive for <see cref="TargetToken"/>. Swap: source token amount, swapped into <see cref="TargetToken"/>.
/// </summary>
public sealed record StartCheckout(
    CheckoutFlow Flow,
    decimal? Amount,
    string? Currency,
    string? TargetToken,
    string? TargetNetwork,
    string? WalletAddress,
    Guid StartToken);

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

        if (form.Amount is not { } amount || amount <= 0)
        {
            errors[nameof(form.Amount)] = "Enter an amount greater than zero.";
        }
        else if (amount > MaxAmount)
        {
            errors[nameof(form.Amount)] = $"Enter an amount of at most {MaxAmount:N0}.";
        }
        else if (decimal.Round(amount, MaxDecimals(form.Flow)) != amount)
        {
            errors[nameof(form.Amount)] = $"Use at most {MaxDecimals(form.Flow)} decimal places.";
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

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    private static partial Regex EvmAddress();
}
