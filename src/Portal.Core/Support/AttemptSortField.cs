using Portal.Core.Checkout;

namespace Portal.Core.Support;

public enum AttemptSortField
{
    CreatedAt,
    UpdatedAt,
    Status,
    Flow,
}
