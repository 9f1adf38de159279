namespace Participatie.ErrorQueues;

/// <summary>Where the broker is and who the operator is there, from one amqp:// URI (and the management API's address).</summary>
public sealed record BrokerSettings(Uri Amqp, Uri Management, string UserName, string Password, string VirtualHost)
{
    /// <summary>The management API is on port 15672 of the same host unless <paramref name="management"/> says otherwise.</summary>
    public static BrokerSettings Parse(string amqp, string? management)
    {
        var uri = new Uri(amqp);
        var userInfo = uri.UserInfo.Split(':', 2);
        var virtualHost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        return new BrokerSettings(
            uri,
            new Uri(management ?? $"http://{uri.Host}:15672/"),
            userInfo.Length > 0 && userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : "guest",
            userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "guest",
            string.IsNullOrEmpty(virtualHost) ? "/" : virtualHost);
    }
}
