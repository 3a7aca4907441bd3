using Portal.Core.Attempts;

namespace Portal.Core.Reads;

/// <summary>Attempts that are not moving: the sweeper's two lists, as a filter.</summary>
public enum StuckView
{
    /// <summary><c>processing</c> and unchanged for longer than <see cref="SweeperOptions.ConfirmingTooLongAfter"/>.</summary>
    ConfirmingTooLong,

    /// <summary>Waiting for the customer for longer than <see cref="SweeperOptions.AbandonedAfter"/>.</summary>
    Abandoned,
}
