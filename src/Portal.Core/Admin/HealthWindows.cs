namespace Portal.Core.Admin;

public static class HealthWindows
{
    /// <summary>How long the window is.</summary>
    public static TimeSpan Length(this HealthWindow window) => window switch
    {
        HealthWindow.Hour => TimeSpan.FromHours(1),
        HealthWindow.Day => TimeSpan.FromHours(24),
        HealthWindow.Week => TimeSpan.FromDays(7),
        _ => throw new ArgumentOutOfRangeException(nameof(window), window, null),
    };

    /// <summary>One bar per bucket: 12 of 5 minutes, 24 of an hour, 14 of 12 hours.</summary>
    public static TimeSpan BucketSize(this HealthWindow window) => window switch
    {
        HealthWindow.Hour => TimeSpan.FromMinutes(5),
        HealthWindow.Day => TimeSpan.FromHours(1),
        HealthWindow.Week => TimeSpan.FromHours(12),
        _ => throw new ArgumentOutOfRangeException(nameof(window), window, null),
    };

    /// <summary>The short name used in the page's query string and on its buttons: <c>1h</c>, <c>24h</c>, <c>7d</c>.</summary>
    public static string Name(this HealthWindow window) => window switch
    {
        HealthWindow.Hour => "1h",
        HealthWindow.Day => "24h",
        HealthWindow.Week => "7d",
        _ => throw new ArgumentOutOfRangeException(nameof(window), window, null),
    };

    /// <summary>"last hour", "last 24 hours", "last 7 days".</summary>
    public static string Description(this HealthWindow window) => window switch
    {
        HealthWindow.Hour => "last hour",
        HealthWindow.Day => "last 24 hours",
        HealthWindow.Week => "last 7 days",
        _ => throw new ArgumentOutOfRangeException(nameof(window), window, null),
    };

    /// <summary>Reads <c>1h</c>/<c>24h</c>/<c>7d</c>; anything else (missing, junk) is the default day.</summary>
    public static HealthWindow Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "1h" => HealthWindow.Hour,
        "7d" => HealthWindow.Week,
        _ => HealthWindow.Day,
    };

    /// <summary>
    /// The buckets ending with the one that holds <paramref name="now"/>, aligned to whole bucket sizes in UTC (so
    /// rejected-delivery minutes fall wholly inside one bucket and labels read as round times).
    /// </summary>
    public static (DateTimeOffset From, int Count) Buckets(this HealthWindow window, DateTimeOffset now)
    {
        var size = window.BucketSize();
        var count = (int)(window.Length() / size);
        var utc = now.ToUniversalTime();
        var currentStart = new DateTimeOffset(utc.UtcTicks - (utc.UtcTicks % size.Ticks), TimeSpan.Zero);
        return (currentStart - (size * (count - 1)), count);
    }
}
