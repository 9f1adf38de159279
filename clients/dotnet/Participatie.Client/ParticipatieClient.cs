using Participatie.Client.Consultations;
using Participatie.Client.Notifications;
using Participatie.Client.PartnerCoordination;
using Participatie.Client.Residents;

namespace Participatie.Client;

/// <summary>
/// The four APIs behind one gateway, sharing one <see cref="HttpClient"/> whose base address is the gateway's
/// <c>/v1/</c>. <see cref="Create"/> builds one with a token and the API version on every request: make it once and
/// keep it (it caches the token). A system with its own HttpClient puts <see cref="ApiVersionHandler"/> and
/// <see cref="ClientCredentialsHandler"/> in its pipeline and passes the client in.
/// </summary>
public sealed class ParticipatieClient : IDisposable
{
    private readonly HttpClient? _owned;

    /// <param name="httpClient">A client whose <see cref="HttpClient.BaseAddress"/> is the gateway's <c>/v1/</c> and that carries a token.</param>
    public ParticipatieClient(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        Residents = new ResidentsClient(httpClient);
        Consultations = new ConsultationsClient(httpClient);
        PartnerCoordination = new PartnerCoordinationClient(httpClient);
        Notifications = new NotificationsClient(httpClient);
    }

    private ParticipatieClient(HttpClient httpClient, bool owned)
        : this(httpClient)
    {
        _owned = owned ? httpClient : null;
    }

    public IResidentsClient Residents { get; }

    public IConsultationsClient Consultations { get; }

    public IPartnerCoordinationClient PartnerCoordination { get; }

    public INotificationsClient Notifications { get; }

    /// <summary>
    /// A client of the gateway at <paramref name="gateway"/> acting as the partner system with
    /// <paramref name="credentials"/>; <paramref name="innerHandler"/> sends the requests (a test's handler, say).
    /// </summary>
    public static ParticipatieClient Create(Uri gateway, ClientCredentials credentials, HttpMessageHandler? innerHandler = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var pipeline = new ApiVersionHandler
        {
            // A client made once and kept for the application's life still follows a change of the gateway's address.
            InnerHandler = new ClientCredentialsHandler(gateway, credentials, clock)
            {
                InnerHandler = innerHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
            },
        };
        return new ParticipatieClient(new HttpClient(pipeline) { BaseAddress = ApiBase(gateway) }, owned: true);
    }

    /// <summary>The base address the generated clients resolve their paths against: the gateway's <c>/v1/</c>.</summary>
    public static Uri ApiBase(Uri gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        return new Uri(gateway, "/v1/");
    }

    public void Dispose() => _owned?.Dispose();
}
