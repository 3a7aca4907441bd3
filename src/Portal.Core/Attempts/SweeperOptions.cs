namespace Portal.Core.Attempts;

/// <summary>The stuck-attempt sweeper and store retention (section <c>Sweeper</c>).</summary>
public sealed class SweeperOptions
{
    public const string Section = "Sweeper";

    /// <summary>Run the sweeper in this process (one instance runs it when there are several).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the sweeper looks for attempts to read.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A <c>processing</c> attempt unchanged for this long is "confirming too long": its session is read from 0Gate.</summary>
    public TimeSpan ConfirmingTooLongAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>An attempt waiting for the customer (not yet returned) unchanged for this long is listed as "abandoned" for support.</summary>
    public TimeSpan AbandonedAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>An attempt whose 0Gate session was never created is closed as expired after this long (there is nothing to read at 0Gate).</summary>
    public TimeSpan UnopenedAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Without a known session expiry, an open attempt's session is read once it has been unchanged this long.</summary>
    public TimeSpan AssumedSessionLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>While 0Gate keeps saying "open", the next read waits at least this long…</summary>
    public TimeSpan MinReadAgainAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>…and at most this long (the wait grows with how long the attempt has been stuck).</summary>
    public TimeSpan MaxReadAgainAfter { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Attempts read per run, oldest first, so one run never floods 0Gate.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Refused-delivery samples are kept this long (their per-minute counts longer).</summary>
    public TimeSpan RejectedSampleRetention { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan RejectedTallyRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>At most this many refused-delivery samples are kept, newest first.</summary>
    public int MaxRejectedSamples { get; set; } = 1000;
}
