using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Participatie.Testing;

/// <summary>
/// Kestrel options for a test host on a real port. The port is set on Kestrel's own options, not through
/// <c>WebApplicationFactory.UseKestrel(int)</c>: that rewrites the server's addresses after the app has built, while a
/// minimal-API app may already be starting Kestrel on its own thread, and when Kestrel binds first the rewrite throws
/// "Addresses cannot be modified after the server has started" (dotnet/aspnetcore#67714; it failed a CI run).
/// </summary>
public static class LoopbackKestrel
{
    /// <summary>Listens on 127.0.0.1 at this port; 0 lets the system choose a free one.</summary>
    public static Action<KestrelServerOptions> On(int port) => options => options.Listen(IPAddress.Loopback, port);
}
