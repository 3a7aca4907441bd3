using System.Security.Cryptography;
using System.Text;

namespace Dev.Identity.Users;

public sealed record DevUser(string Subject, string UserName, string DisplayName, string Role, string Email);

/// <summary>The seeded development accounts. They exist only in this provider and share one well-known password.</summary>
public static class DevUsers
{
    public const string Password = "portal-dev";

    public static IReadOnlyList<DevUser> All { get; } =
    [
        new("alice", "alice", "Alice", "customer", "alice@example.test"),
        new("bob", "bob", "Bob", "customer", "bob@example.test"),
        new("sam", "sam", "Sam", "support", "sam@example.test"),
        new("ada", "ada", "Ada", "admin", "ada@example.test"),
    ];

    public static DevUser? FindBySubject(string? subject) =>
        All.FirstOrDefault(user => string.Equals(user.Subject, subject, StringComparison.Ordinal));

    /// <summary>Returns the user when both name and password match; the password is compared in fixed time.</summary>
    public static DevUser? Verify(string? userName, string? password)
    {
        var user = All.FirstOrDefault(candidate =>
            string.Equals(candidate.UserName, userName?.Trim(), StringComparison.OrdinalIgnoreCase));
        var passwordMatches = CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(password ?? ""),
            Encoding.UTF8.GetBytes(Password));
        return passwordMatches ? user : null;
    }
}
