using System.Net;
using System.Net.Sockets;

namespace Participatie.Notifications.Subscriptions;

/// <summary>
/// Which callback URLs the platform calls. Outside development only https to a public address: otherwise a partner
/// could make the platform reach into its own network (SSRF). The address is checked when a subscription is made and
/// again on every connect (<see cref="IsPublic"/> in the delivery client), so a name that later resolves to a private
/// address is refused too.
/// </summary>
public static class CallbackUrlPolicy
{
    public const int MaxLength = 2000;

    /// <summary>What is wrong with the URL's form (400), or null when it is a well-formed http(s) URL.</summary>
    public static string? FormatError(string? callbackUrl)
    {
        if (string.IsNullOrWhiteSpace(callbackUrl))
        {
            return "'callbackUrl' is required.";
        }

        if (callbackUrl.Length > MaxLength)
        {
            return $"'callbackUrl' may be at most {MaxLength} characters long.";
        }

        if (!Uri.TryCreate(callbackUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "'callbackUrl' must be an absolute https URL.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return "'callbackUrl' may contain no user name, password or fragment; send credentials with 'auth'.";
        }

        return null;
    }

    /// <summary>Why the platform will not call the URL (422), or null when it will.</summary>
    public static async Task<string?> RefusalAsync(string callbackUrl, bool allowPrivate, CancellationToken cancellationToken)
    {
        if (FormatError(callbackUrl) is { } formatError)
        {
            return formatError;
        }

        var uri = new Uri(callbackUrl);
        if (allowPrivate)
        {
            return null;
        }

        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            return "'callbackUrl' must use https.";
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(uri.DnsSafeHost, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(uri.DnsSafeHost, cancellationToken);
            }
            catch (SocketException)
            {
                return $"The host '{uri.Host}' of 'callbackUrl' cannot be resolved.";
            }
        }

        return addresses.Length > 0 && addresses.All(IsPublic)
            ? null
            : $"'callbackUrl' points at a private, loopback or link-local address ('{uri.Host}'); only public addresses are called.";
    }

    /// <summary>Whether the address is on the public internet: not private, loopback, link-local, shared, multicast or unspecified.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0                                   // "this" network
                || b[0] == 10                                     // private
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)     // shared address space (carrier-grade NAT)
                || b[0] == 127                                    // loopback
                || (b[0] == 169 && b[1] == 254)                   // link-local, cloud metadata services among them
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)      // private
                || (b[0] == 192 && b[1] == 168)                   // private
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)        // protocol assignments
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19))    // benchmarking
                || b[0] >= 224);                                  // multicast, reserved, broadcast
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(IPAddress.IPv6Loopback.Equals(address)
                || IPAddress.IPv6None.Equals(address)
                || address.IsIPv6LinkLocal
                || address.IsIPv6SiteLocal
                || address.IsIPv6Multicast
                || (b[0] & 0xfe) == 0xfc                          // unique local (fc00::/7)
                || address.IsIPv6Teredo
                || address.IsIPv6UniqueLocal);
        }

        return false;
    }
}
