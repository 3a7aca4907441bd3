
namespace Portal.Core.Reads;

public sealed record AttemptSort(AttemptSortField Field = AttemptSortField.CreatedAt, bool Descending = true)
{
    public static readonly AttemptSort NewestFirst = new();
}
