using System.Text.RegularExpressions;
using Portal.Core.Gate;

namespace Portal.Core.Checkout;

/// <summary>
/// A customer's start form, per flow. Buy: <see cref="Amount"/> of fiat <see cref="Currency"/> for
/// <see cref="TargetToken"/> on <see cref="TargetNetwork"/>. Sell: <see cref="Amount"/> of asset
/// <see cref="Currency"/> for fiat <see cref="TargetToken"/>. Swap: <see cref="Amount"/> of
/// <see cref="Currency"/> into <see cref="TargetToken"/>.
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
        else if (decimal.Round(amount, 8) != amount)
        {
            errors[nameof(form.Amount)] = "Use at most 8 decimal places.";
        }

        var (source, target) = form.Flow switch
        {
            CheckoutFlow.OnRamp => (capabilities.Currencies, capabilities.Tokens),
            CheckoutFlow.OffRamp => (capabilities.Tokens, capabilities.Currencies),
            _ => (capabilities.Tokens, capabilities.Tokens),
        };

        if (string.IsNullOrEmpty(form.Currency) || !source.Contains(form.Currency))
        {
            errors[nameof(form.Currency)] = form.Flow == CheckoutFlow.OnRamp ? "Choose a currency." : "Choose the asset to sell or swap.";
        }

        if (string.IsNullOrEmpty(form.TargetToken) || !target.Contains(form.TargetToken))
        {
            errors[nameof(form.TargetToken)] = form.Flow == CheckoutFlow.OffRamp ? "Choose the currency to receive." : "Choose the token to receive.";
        }
        else if (form.Flow == CheckoutFlow.Swap && form.TargetToken == form.Currency)
        {
            errors[nameof(form.TargetToken)] = "Choose a different asset to receive.";
        }

        if (form.Flow != CheckoutFlow.OffRamp && (string.IsNullOrEmpty(form.TargetNetwork) || !capabilities.Networks.Contains(form.TargetNetwork)))
        {
            errors[nameof(form.TargetNetwork)] = "Choose a network.";
        }

        if (!string.IsNullOrWhiteSpace(form.WalletAddress) && !EvmAddress().IsMatch(form.WalletAddress.Trim()))
        {
            errors[nameof(form.WalletAddress)] = "Enter a wallet address like 0x followed by 40 hexadecimal characters, or leave it empty.";
        }

        return errors;
    }

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    private static partial Regex EvmAddress();
}
