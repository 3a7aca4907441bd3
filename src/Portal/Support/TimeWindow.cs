using System.Globalization;

namespace Portal.Support;

/// <summary>
/// A time range as staff screens pick it: a preset relative to now (kept relative in a bookmarked URL) or custom UTC
/// days, <see cref="From"/> to <see cref="To"/> inclusive. URL form: <c>range=1h|24h|7d|30d|custom&amp;from=yyyy-MM-dd&amp;to=yyyy-MM-dd</c>.
/// </summary>
public sealed record TimeWindow(TimeWindowPreset Preset, DateOnly? From = null, DateOnly? To = null)
{
    public static readonly TimeWindow AnyTime = new(TimeWindowPreset.AnyTime);

    private static readonly (TimeWindowPreset Preset, string Wire, string Label, TimeSpan Span)[] Presets =
    [
        (TimeWindowPreset.LastHour, "1h", "Last hour", TimeSpan.FromHours(1)),
        (TimeWindowPreset.Last24Hours, "24h", "Last 24 hours", TimeSpan.FromHours(24)),
        (TimeWindowPreset.Last7Days, "7d", "Last 7 days", TimeSpan.FromDays(7)),
        (TimeWindowPreset.Last30Days, "30d", "Last 30 days", TimeSpan.FromDays(30)),
    ];

    public static string Label(TimeWindowPreset preset) => preset switch
    {
        TimeWindowPreset.AnyTime => "Any time",
        TimeWindowPreset.Custom => "Custom dates (UTC)",
        _ => Presets.Single(p => p.Preset == preset).Label,
    };

    /// <summary>The half-open range <c>[from, to)</c> this window means at <paramref name="now"/>; nulls are open ends.</summary>
    public (DateTimeOffset? From, DateTimeOffset? To) Resolve(DateTimeOffset now) => Preset switch
    {
        TimeWindowPreset.AnyTime => (null, null),
        TimeWindowPreset.Custom => (
            From is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            To is { } to ? new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null),
        _ => (now - Presets.Single(p => p.Preset == Preset).Span, null),
    };

    /// <summary>Reads <c>range</c>, <c>from</c> and <c>to</c>; adds a message to <paramref name="errors"/> for anything it cannot read.</summary>
    public static TimeWindow Parse(string? range, string? from, string? to, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var fromDate = ParseDate("from", from, errors);
        var toDate = ParseDate("to", to, errors);
        if (fromDate is not null && toDate is not null && fromDate > toDate)
        {
            errors.Add("The 'from' date must not be after the 'to' date.");
            return AnyTime;
        }

        if (string.IsNullOrWhiteSpace(range))
        {
            return fromDate is null && toDate is null ? AnyTime : new(TimeWindowPreset.Custom, fromDate, toDate);
        }

        var wire = range.Trim();
        if (wire == "custom")
        {
            return new(TimeWindowPreset.Custom, fromDate, toDate);
        }

        foreach (var preset in Presets)
        {
            if (preset.Wire == wire)
            {
                return new(preset.Preset);
            }
        }

        errors.Add($"Unknown range '{Clip(wire)}': use 1h, 24h, 7d, 30d or custom.");
        return AnyTime;
    }

    /// <summary>The URL parameters for this window (none for any time).</summary>
    public IEnumerable<KeyValuePair<string, string>> ToQuery()
    {
        switch (Preset)
        {
            case TimeWindowPreset.AnyTime:
                yield break;
            case TimeWindowPreset.Custom:
                yield return new("range", "custom");
                if (From is { } from)
                {
                    yield return new("from", from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                }

                if (To is { } to)
                {
                    yield return new("to", to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                }

                yield break;
            default:
                yield return new("range", Presets.Single(p => p.Preset == Preset).Wire);
                yield break;
        }
    }

    private static DateOnly? ParseDate(string name, string? value, ICollection<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add($"'{name}' must be a date like 2026-11-23 (UTC), not '{Clip(value)}'.");
        return null;
    }

    internal static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
