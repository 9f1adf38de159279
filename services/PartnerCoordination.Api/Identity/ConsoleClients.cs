namespace Participatie.PartnerCoordination.Identity;

/// <summary>A public web client of the platform itself through which any partner's staff sign in: no secret, only its redirect URIs.</summary>
public sealed record ConsoleClient(string ClientId, IReadOnlyList<string> RedirectUris);

/// <summary>
/// The platform's own staff clients (the partner console), from configuration
/// (<c>Identity:ConsoleClients:&lt;clientId&gt;:RedirectUris</c>). Unlike a partner's web client such a client
/// belongs to no partner: the token acts for the partner of the staff member who signed in.
/// </summary>
public sealed class ConsoleClients
{
    public const string Section = "Identity:ConsoleClients";
    public const string PartnerConsoleClientId = "partner-console";

    private readonly Dictionary<string, ConsoleClient> _clients = new(StringComparer.Ordinal);

    public ConsoleClients(IConfiguration configuration)
    {
        foreach (var section in configuration.GetSection(Section).GetChildren())
        {
            var redirectUris = section.GetSection("RedirectUris");
            // "a b" or "a,b" in one value (an environment variable), or a list.
            List<string> uris = redirectUris.Value is { } single
                ? [.. single.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
                : [.. redirectUris.GetChildren().Select(child => child.Value).OfType<string>().Where(value => value.Length > 0)];
            _clients[section.Key] = new ConsoleClient(section.Key, uris);
        }
    }

    public ConsoleClient? Find(string? clientId) => clientId is null ? null : _clients.GetValueOrDefault(clientId);
}
