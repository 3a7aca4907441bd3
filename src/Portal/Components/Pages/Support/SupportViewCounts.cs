namespace Portal.Components.Pages.Support;

/// <summary>The support list's quick-view counts, as one value the prerender hands to the circuit.</summary>
public sealed record SupportViewCounts(int NeedsReview, int ConfirmingTooLong, int Abandoned);
