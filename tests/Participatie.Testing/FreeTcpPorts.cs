using System.Net;
using System.Net.Sockets;

namespace Participatie.Testing;

/// <summary>A loopback port nothing listens on right now: for a fixed port a test hands out, or one that must refuse.</summary>
public static class FreeTcpPorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
