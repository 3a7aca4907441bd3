using Portal.Core.Records;

namespace Portal.Tests.Support;

/// <summary>The development provider's staff, as the audit log records them.</summary>
internal static class Staff
{
    public static readonly StaffMember Sam = new("sam", "Sam", "support");

    public static readonly StaffMember Ada = new("ada", "Ada", "admin");
}
