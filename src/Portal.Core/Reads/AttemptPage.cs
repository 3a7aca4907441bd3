
namespace Portal.Core.Reads;

/// <param name="SearchTruncated">The search prefix matched more ids of one kind than a search takes: type more of the id.</param>
public sealed record AttemptPage(IReadOnlyList<AttemptRow> Rows, int Total, bool SearchTruncated);
