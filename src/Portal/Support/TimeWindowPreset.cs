namespace Portal.Support;

public enum TimeWindowPreset
{
    AnyTime,
    LastHour,
    Last24Hours,
    Last7Days,
    Last30Days,
    Custom,
}
