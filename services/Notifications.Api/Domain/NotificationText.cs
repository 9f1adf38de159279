namespace Participatie.Notifications.Domain;

/// <summary>A notification's title and body in one language.</summary>
public sealed record NotificationText(string Language, string Title, string Body);
