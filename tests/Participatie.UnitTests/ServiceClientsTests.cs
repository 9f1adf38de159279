using Microsoft.Extensions.Configuration;
using Participatie.PartnerCoordination.Identity;

namespace Participatie.UnitTests;

/// <summary>The token server's service clients, as configuration (the AppHost's environment variables) names them.</summary>
public sealed class ServiceClientsTests
{
    private static ServiceClients From(params (string Key, string? Value)[] settings) =>
        new(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => KeyValuePair.Create($"Identity:ServiceClients:{setting.Key}", setting.Value)))
            .Build());

    [Fact]
    public void A_client_with_a_secret_gets_the_service_scopes_it_names()
    {
        var clients = From(("notifications:Secret", "s3cret"), ("notifications:Scopes", "contact-details"));

        var client = clients.Find("notifications");

        Assert.NotNull(client);
        Assert.Equal("s3cret", client.Secret);
        Assert.Equal(["contact-details"], client.Scopes);
        Assert.Null(clients.Find("consultations"));
    }

    [Fact]
    public void A_client_without_a_secret_is_no_client()
    {
        Assert.Null(From(("notifications:Scopes", "contact-details")).Find("notifications"));
        Assert.Null(From(("notifications:Secret", ""), ("notifications:Scopes", "contact-details")).Find("notifications"));
    }

    [Theory]
    [InlineData("platform")]
    [InlineData("api")]
    [InlineData("contact-details platform")]
    [InlineData("")]
    public void A_partner_or_operator_scope_or_none_stops_the_start(string scopes)
    {
        var exception = Assert.Throws<InvalidOperationException>(() =>
            From(("notifications:Secret", "s3cret"), ("notifications:Scopes", scopes)));
        Assert.Contains("contact-details", exception.Message, StringComparison.Ordinal);
    }
}
