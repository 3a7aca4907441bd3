namespace Portal.Core.Records;

/// <summary>
/// How many deliveries were refused for one reason in one minute (UTC), with the range of their timestamp skew.
/// A flood of junk adds to a counter instead of adding rows: storage stays bounded whatever arrives. A few
/// <see cref="RejectedDelivery"/> samples per minute and reason are kept beside it for investigation.
/// </summary>
public sealed class RejectedDeliveryTally
{
    private RejectedDeliveryTally()
    {
        Reason = string.Empty;
    }

    public RejectedDeliveryTally(DateTimeOffset minute, string reason)
    {
        Minute = minute;
        Reason = reason;
    }

    /// <summary>The start of the minute, UTC.</summary>
    public DateTimeOffset Minute { get; private set; }

    public string Reason { get; private set; }

    public long Count { get; private set; }

    public long? MinSkewSeconds { get; private set; }

    public long? MaxSkewSeconds { get; private set; }

    public DateTimeOffset LastAt { get; private set; }

    public static DateTimeOffset MinuteOf(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero);
    }

    /// <summary>Counts one more refused delivery; returns how many this minute and reason now holds.</summary>
    public long Add(long? skewSeconds, DateTimeOffset at)
    {
        Count++;
        LastAt = at;
        if (skewSeconds is { } skew)
        {
            MinSkewSeconds = MinSkewSeconds is { } min ? Math.Min(min, skew) : skew;
            MaxSkewSeconds = MaxSkewSeconds is { } max ? Math.Max(max, skew) : skew;
        }

        return Count;
    }
}
