using System.Globalization;
using Portal.Core.Attempts;
using Portal.Core.Reads;
using Portal.Core.Records;

namespace Portal.Components.Support;

/// <summary>How staff screens print times, amounts and statuses (UTC, invariant culture).</summary>
public static class SupportFormat
{
    public static string Time(DateTimeOffset? value) =>
        value is { } v ? v.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";

    public static string Amount(CheckoutAttempt attempt) => Amount(attempt.Amount, attempt.Currency);

    public static string Amount(decimal amount, string currency) =>
        $"{amount.ToString(CultureInfo.InvariantCulture)} {currency}";

    public static string Flow(CheckoutFlow flow) => flow switch
    {
        CheckoutFlow.OnRamp => "Buy (on_ramp)",
        CheckoutFlow.OffRamp => "Sell (off_ramp)",
        _ => "Swap (swap)",
    };

    public static string Status(AttemptStatus? status) => status?.ToWire() ?? "—";

    public static string Kind(TimelineKind kind) => kind switch
    {
        TimelineKind.StateChanged => "state_changed",
        TimelineKind.EventAccepted => "event_accepted",
        TimelineKind.EventDuplicate => "event_duplicate",
        TimelineKind.EventIgnoredAfterTerminal => "event_ignored_after_terminal",
        TimelineKind.EventForUnknownSession => "event_for_unknown_session",
        TimelineKind.EventUnhandledType => "event_unhandled_type",
        TimelineKind.GateRequest => "gate_request",
        _ => "note",
    };

    public static string Matched(SearchMatch match) => match switch
    {
        SearchMatch.AttemptId => "attempt id",
        SearchMatch.GateSessionId => "0Gate session id",
        SearchMatch.TxRefId => "tx refid",
        SearchMatch.EventId => "event id",
        SearchMatch.WalletAddress => "wallet address",
        SearchMatch.TransactionHash => "on-chain hash",
        SearchMatch.LocalRailTransactionId => "local-rail id",
        _ => "account id",
    };

    /// <summary>The stored name, spaced: <c>cancel session</c>, <c>change allowed origins</c>.</summary>
    public static string Action(AuditAction action) => Portal.Support.AuditListQuery.Wire(action).Replace('_', ' ');

    public static string Result(AuditResult result) => result.ToString().ToLowerInvariant();

    public static MudBlazor.Color ResultColor(AuditResult result) => result switch
    {
        AuditResult.Changed or AuditResult.Completed or AuditResult.Sent => MudBlazor.Color.Success,
        AuditResult.Failed => MudBlazor.Color.Error,
        AuditResult.Stopped => MudBlazor.Color.Warning,
        _ => MudBlazor.Color.Default,
    };

    /// <summary>A 0Gate delivery time (unix milliseconds).</summary>
    public static string UnixMilliseconds(long? value) =>
        value is { } ms ? Time(DateTimeOffset.FromUnixTimeMilliseconds(ms)) : "—";
}
