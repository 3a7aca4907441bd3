using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gate.Sandbox.Capabilities;
using Gate.Sandbox.Partner;

namespace Gate.Sandbox.Sessions;

public sealed record CreateSessionCommand(
    string Amount,
    string Currency,
    string Flow,
    string? TargetToken,
    string? TargetNetwork,
    string? WalletAddress,
    string? UserReference,
    string ReturnUrl,
    string? CancelUrl,
    bool HasKycPackage,
    string? KycProvider);

public sealed record ValidationProblem(string Code, string Message);

/// <summary>
/// Validates a create-session body field by field, with messages that name the field.
/// Swap sessions: <c>currency</c> is the source token, <c>amount</c> is in that token,
/// <c>target_token</c> (required) is the destination token.
/// </summary>
public static partial class CreateSessionValidator
{
    private static readonly HashSet<string> KnownFields =
    [
        "amount", "currency", "flow", "target_token", "target_network", "wallet_address",
        "user_reference", "return_url", "cancel_url", "kyc_package",
    ];

    public static (CreateSessionCommand? Command, ValidationProblem? Problem) Validate(ReadOnlySpan<byte> body, DisabledCapabilities disabled)
    {
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            json = null;
        }

        if (json is null)
        {
            return Fail("invalid_json", "The request body must be a JSON object.");
        }

        foreach (var (name, _) in json)
        {
            if (!KnownFields.Contains(name))
            {
                return Fail("parameter_unknown", $"Unknown field '{name}'. Fields are snake_case: {string.Join(", ", KnownFields)}.");
            }
        }

        string? Str(string name, out ValidationProblem? problem)
        {
            problem = null;
            var node = json[name];
            if (node is null)
            {
                return null;
            }

            if (node.GetValueKind() != JsonValueKind.String)
            {
                problem = new("parameter_invalid_type", $"'{name}' must be a string.");
                return null;
            }

            var value = node.GetValue<string>().Trim();
            return value.Length == 0 ? null : value;
        }

        var amount = Str("amount", out var p); if (p is not null) return (null, p);
        var currency = Str("currency", out p); if (p is not null) return (null, p);
        var flow = Str("flow", out p); if (p is not null) return (null, p);
        var targetToken = Str("target_token", out p); if (p is not null) return (null, p);
        var targetNetwork = Str("target_network", out p); if (p is not null) return (null, p);
        var wallet = Str("wallet_address", out p); if (p is not null) return (null, p);
        var userReference = Str("user_reference", out p); if (p is not null) return (null, p);
        var returnUrl = Str("return_url", out p); if (p is not null) return (null, p);
        var cancelUrl = Str("cancel_url", out p); if (p is not null) return (null, p);

        flow ??= Flows.OnRamp;
        if (!CapabilityCatalog.AllFlows.Contains(flow))
        {
            return Fail("flow_invalid", $"'flow' must be one of {string.Join(", ", CapabilityCatalog.AllFlows)}; got '{flow}'.");
        }

        if (disabled.Flows.Contains(flow))
        {
            return Fail("capability_unavailable", $"The '{flow}' flow is not available for this partner right now (see GET /v1/capabilities).");
        }

        if (amount is null)
        {
            return Fail("parameter_missing", "'amount' is required: a positive decimal string such as \"25.00\".");
        }

        if (currency is null)
        {
            return Fail("parameter_missing", flow == Flows.Swap
                ? "'currency' is required: for a swap it is the source token, e.g. \"USDC\"."
                : "'currency' is required: a fiat currency code such as \"EUR\".");
        }

        currency = currency.ToUpperInvariant();
        if (flow == Flows.Swap)
        {
            var tokenProblem = CheckToken("currency", currency, disabled);
            if (tokenProblem is not null)
            {
                return (null, tokenProblem);
            }

            if (targetToken is null)
            {
                return Fail("parameter_missing", "'target_token' is required for a swap: the token the user receives.");
            }
        }
        else
        {
            if (!CapabilityCatalog.AllCurrencies.Contains(currency))
            {
                return Fail("currency_invalid", $"'currency' must be one of {string.Join(", ", CapabilityCatalog.AllCurrencies)}; got '{currency}'.");
            }

            if (disabled.Currencies.Contains(currency))
            {
                return Fail("capability_unavailable", $"The currency '{currency}' is not available right now (see GET /v1/capabilities).");
            }
        }

        var maxDecimals = flow == Flows.Swap ? 18 : 2;
        if (!AmountPattern().IsMatch(amount)
            || !decimal.TryParse(amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || value <= 0m)
        {
            return Fail("amount_invalid", $"'amount' must be a positive decimal string such as \"25.00\"; got '{amount}'.");
        }

        var dot = amount.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0 && amount.Length - dot - 1 > maxDecimals)
        {
            return Fail("amount_invalid", $"'amount' has more than {maxDecimals} decimal places for {currency}.");
        }

        if (targetToken is not null)
        {
            targetToken = targetToken.ToUpperInvariant();
            var tokenProblem = CheckToken("target_token", targetToken, disabled);
            if (tokenProblem is not null)
            {
                return (null, tokenProblem);
            }

            if (flow == Flows.Swap && targetToken == currency)
            {
                return Fail("target_token_invalid", "A swap needs different source ('currency') and destination ('target_token') tokens.");
            }
        }

        if (targetNetwork is not null)
        {
            targetNetwork = targetNetwork.ToLowerInvariant();
            if (CapabilityCatalog.FindChain(targetNetwork) is null)
            {
                return Fail("network_invalid", $"'target_network' must be one of {string.Join(", ", CapabilityCatalog.Chains.Select(c => c.Network))}; got '{targetNetwork}'.");
            }

            if (disabled.Networks.Contains(targetNetwork))
            {
                return Fail("capability_unavailable", $"The network '{targetNetwork}' is not available right now (see GET /v1/capabilities).");
            }
        }

        if (wallet is not null && !EvmAddress().IsMatch(wallet))
        {
            return Fail("wallet_address_invalid", "'wallet_address' must be an EVM address: 0x followed by 40 hex characters.");
        }

        if (returnUrl is null)
        {
            return Fail("parameter_missing", "'return_url' is required: an absolute http(s) URL.");
        }

        if (!OriginRules.IsHttpUrl(returnUrl))
        {
            return Fail("url_invalid", "'return_url' must be an absolute http(s) URL.");
        }

        if (cancelUrl is not null && !OriginRules.IsHttpUrl(cancelUrl))
        {
            return Fail("url_invalid", "'cancel_url' must be an absolute http(s) URL.");
        }

        if (userReference is not null)
        {
            if (userReference.Length > 200)
            {
                return Fail("user_reference_invalid", "'user_reference' must be at most 200 characters.");
            }

            if (EmailLike().IsMatch(userReference))
            {
                return Fail("user_reference_pii", "'user_reference' looks like an email address. Send an opaque id (e.g. your order or attempt id), never PII.");
            }
        }

        var hasKyc = false;
        string? provider = null;
        var kyc = json["kyc_package"];
        if (kyc is not null)
        {
            if (kyc is not JsonObject kycObject)
            {
                return Fail("kyc_package_invalid", "'kyc_package' must be a JSON object.");
            }

            hasKyc = true;
            if (kycObject["provider"] is { } providerNode && providerNode.GetValueKind() == JsonValueKind.String)
            {
                provider = providerNode.GetValue<string>();
            }
        }

        return (new CreateSessionCommand(amount, currency, flow, targetToken, targetNetwork, wallet, userReference, returnUrl, cancelUrl, hasKyc, provider), null);
    }

    private static ValidationProblem? CheckToken(string field, string token, DisabledCapabilities disabled)
    {
        if (!CapabilityCatalog.AllTokens.Contains(token))
        {
            return new("token_invalid", $"'{field}' must be one of {string.Join(", ", CapabilityCatalog.AllTokens)}; got '{token}'.");
        }

        return disabled.Tokens.Contains(token)
            ? new("capability_unavailable", $"The token '{token}' is not available right now (see GET /v1/capabilities).")
            : null;
    }

    private static (CreateSessionCommand?, ValidationProblem?) Fail(string code, string message) => (null, new(code, message));

    [GeneratedRegex(@"^\d{1,15}(\.\d+)?$")]
    private static partial Regex AmountPattern();

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    private static partial Regex EvmAddress();

    [GeneratedRegex(@"[^@\s]+@[^@\s]+\.[^@\s]+")]
    private static partial Regex EmailLike();
}
