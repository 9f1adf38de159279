namespace Participatie.PartnerCoordination.Identity;

/// <summary>A public client through which residents sign in (a portal or an app): no secret, only its redirect URIs and origins.</summary>
public sealed record ResidentClient(string ClientId, IReadOnlyList<string> RedirectUris, IReadOnlyList<string> AllowedOrigins);

/// <summary>
/// The platform's own resident clients, from configuration (<c>Identity:ResidentClients:&lt;clientId&gt;:RedirectUris</c>
/// and <c>...:AllowedOrigins</c>). They belong to no partner, so they are not among the partners' clients.
/// <see cref="PortalClientId"/> always exists, so that the sign-in grants work before a portal is configured; its
/// redirect URIs (for the authorization code flow) come from configuration.
/// </summary>
public sealed class ResidentClients
{
    public const string Section = "Identity:ResidentClients";
    public const string PortalClientId = "resident-portal";

    private readonly Dictionary<string, ResidentClient> _clients = new(StringComparer.Ordinal);

    public ResidentClients(IConfiguration configuration)
    {
        _clients[PortalClientId] = new ResidentClient(PortalClientId, [], []);
        foreach (var section in configuration.GetSection(Section).GetChildren())
        {
            _clients[section.Key] = new ResidentClient(section.Key, ReadList(section.GetSection("RedirectUris")), ReadList(section.GetSection("AllowedOrigins")));
        }
    }

    public ResidentClient? Find(string? clientId) => clientId is null ? null : _clients.GetValueOrDefault(clientId);

    /// <summary>"a b" or "a,b" in one value (an environment variable), or a list.</summary>
    private static List<string> ReadList(IConfigurationSection values) =>
        values.Value is { } single
            ? [.. single.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : [.. values.GetChildren().Select(child => child.Value).OfType<string>().Where(value => value.Length > 0)];
}
