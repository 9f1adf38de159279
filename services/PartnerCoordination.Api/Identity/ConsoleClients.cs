namespace Participatie.PartnerCoordination.Identity;

/// <summary>
/// A public web client of the platform itself through which any partner's staff sign in: no secret, only its redirect
/// URIs, and the addresses the token server may send the browser back to after signing the staff member out.
/// </summary>
public sealed record ConsoleClient(string ClientId, IReadOnlyList<string> RedirectUris, IReadOnlyList<string> PostLogoutRedirectUris);

/// <summary>
/// The platform's own staff clients (the partner console), from configuration
/// (<c>Identity:ConsoleClients:&lt;clientId&gt;:RedirectUris</c> and <c>:PostLogoutRedirectUris</c>). Unlike a partner's web client such a client
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
            _clients[section.Key] = new ConsoleClient(section.Key, ReadList(section.GetSection("RedirectUris")), ReadList(section.GetSection("PostLogoutRedirectUris")));
        }
    }

    /// <summary>"a b" or "a,b" in one value (an environment variable), or a list.</summary>
    private static List<string> ReadList(IConfigurationSection section) =>
        section.Value is { } single
            ? [.. single.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : [.. section.GetChildren().Select(child => child.Value).OfType<string>().Where(value => value.Length > 0)];

    public ConsoleClient? Find(string? clientId) => clientId is null ? null : _clients.GetValueOrDefault(clientId);
}
