namespace Portal.DevMail;

/// <summary>One message the dev mail catcher received, as the page lists it.</summary>
public sealed record CaughtMessage(long Number, DateTimeOffset ReceivedAt, string From, string To, string Subject, string? MessageId, string Text);
