
namespace Portal.Core.Reads;

public enum AttemptSortField
{
    CreatedAt,
    UpdatedAt,
    Status,
    Flow,
}
