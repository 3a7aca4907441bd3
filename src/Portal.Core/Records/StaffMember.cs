namespace Portal.Core.Records;

/// <summary>Who did something on a staff screen: the identity provider's subject, the name shown, and the role used.</summary>
public sealed record StaffMember(string Subject, string DisplayName, string Role)
{
    /// <summary>Rate limits and "one bulk run at a time" are per person: keyed by the stable subject, not the display name.</summary>
    public string Key => Subject;

    public override string ToString() => $"{DisplayName} ({Role})";
}
