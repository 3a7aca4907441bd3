using Portal.Core.Attempts;

namespace Portal.Core.Reads;

/// <summary>One row of the list, and which id the search matched (when searching); the export also carries the receipt.</summary>
public sealed record AttemptRow(CheckoutAttempt Attempt, SearchMatch? MatchedOn, AttemptReceipt? Receipt = null);
