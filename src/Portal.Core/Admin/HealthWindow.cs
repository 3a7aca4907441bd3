namespace Portal.Core.Admin;

/// <summary>The time span the health charts cover: the last hour, day or week.</summary>
public enum HealthWindow
{
    Hour,
    Day,
    Week,
}
