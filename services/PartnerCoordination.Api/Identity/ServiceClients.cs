using Participatie.BuildingBlocks.Auth;

namespace Participatie.PartnerCoordination.Identity;

/// <summary>A platform service's own client, named in configuration, with its secret and the service scopes it gets.</summary>
public sealed record ServiceClient(string ClientId, string Secret, IReadOnlyList<string> Scopes);

/// <summary>
/// The clients of the platform's own services (<c>Identity:ServiceClients:&lt;clientId&gt;:Secret</c> and
/// <c>...:Scopes</c>, for example notifications with <c>contact-details</c>). They act for no partner, so they live in
/// configuration (AppHost parameters) rather than among the partners' clients. Only service scopes may be given: a
/// configured "platform" scope would make a service the operator, so it stops the start instead.
/// </summary>
public sealed class ServiceClients
{
    public const string Section = "Identity:ServiceClients";

    private readonly Dictionary<string, ServiceClient> _clients;

    public ServiceClients(IConfiguration configuration)
    {
        _clients = new Dictionary<string, ServiceClient>(StringComparer.Ordinal);
        foreach (var section in configuration.GetSection(Section).GetChildren())
        {
            var secret = section["Secret"];
            if (string.IsNullOrEmpty(secret))
            {
                // Named without a secret (a parameter not given): no one can authenticate as it.
                continue;
            }

            var scopes = ReadScopes(section.GetSection("Scopes"));
            var notAllowed = scopes.Where(scope => !ParticipatieClaims.ServiceScopes.Contains(scope, StringComparer.Ordinal)).ToList();
            if (scopes.Count == 0 || notAllowed.Count > 0)
            {
                throw new InvalidOperationException(
                    $"{Section}:{section.Key}:Scopes must name one or more of: {string.Join(", ", ParticipatieClaims.ServiceScopes)}"
                    + (notAllowed.Count > 0 ? $" (not: {string.Join(", ", notAllowed)})." : "."));
            }

            _clients[section.Key] = new ServiceClient(section.Key, secret, scopes);
        }
    }

    public ServiceClient? Find(string clientId) => _clients.GetValueOrDefault(clientId);

    /// <summary>"a b" or "a,b" in one value (an environment variable), or a list.</summary>
    private static List<string> ReadScopes(IConfigurationSection scopes) =>
        scopes.Value is { } single
            ? [.. single.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : [.. scopes.GetChildren().Select(child => child.Value).OfType<string>().Where(value => value.Length > 0)];
}
