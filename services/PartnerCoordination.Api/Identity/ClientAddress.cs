using System.Net;

namespace Participatie.PartnerCoordination.Identity;

/// <summary>
/// The address a sign-in came from, for throttling. <c>X-Forwarded-For</c> is believed only from a trusted proxy (the
/// gateway: loopback, or the addresses and networks in <c>Identity:TrustedProxies</c>); anyone else could write any
/// address there and so escape the per-address limit.
/// </summary>
public sealed class ClientAddress(IConfiguration configuration)
{
    private readonly IReadOnlyList<IPNetwork> _trustedProxies =
        [.. (configuration.GetSection("Identity:TrustedProxies").Get<string[]>() ?? []).Select(Parse)];

    public string Of(HttpContext httpContext)
    {
        var address = httpContext.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        // Right to left: each trusted proxy appended the address it was called from; the first untrusted one is the client.
        var forwarded = httpContext.Request.Headers["X-Forwarded-For"]
            .SelectMany(value => (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Reverse();
        foreach (var hop in forwarded)
        {
            if (!IsTrusted(address) || !IPAddress.TryParse(hop, out var previous))
            {
                break;
            }

            address = previous;
        }

        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    private bool IsTrusted(IPAddress address) =>
        IPAddress.IsLoopback(address) || _trustedProxies.Any(network => network.Contains(address));

    private static IPNetwork Parse(string value) =>
        value.Contains('/', StringComparison.Ordinal) ? IPNetwork.Parse(value) : new IPNetwork(IPAddress.Parse(value), IPAddress.Parse(value).GetAddressBytes().Length * 8);
}
