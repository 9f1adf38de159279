using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>The people a partner organisation puts forward as its contacts.</summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed class ContactsApiTests(PartnerCoordinationService service, PlatformContainers containers) : IAsyncLifetime
{
    /// <summary>The platform operator's client.</summary>
    private readonly HttpClient _operator = service.CreateClient();

    private TestPartner _partner = null!;

    public async ValueTask InitializeAsync()
    {
        TokenServer.Authorized(_operator, await service.Tokens.GetOperatorTokenAsync());
        _partner = await service.Tokens.RegisterPartnerAsync();
    }

    public ValueTask DisposeAsync()
    {
        _operator.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string ContactsOf(Guid partnerId) => $"/v1/partners/{partnerId}/contacts";

    private async Task<List<JsonElement>> ListContactsAsync(HttpClient client, Guid partnerId) =>
        [.. (await client.GetFromJsonAsync<JsonElement>(ContactsOf(partnerId), Cancel)).EnumerateArray()];

    private async Task<int> CountContactsAsync(Guid partnerId)
    {
        await using var connection = new NpgsqlConnection(containers.Postgres.GetConnectionString());
        return await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM partner_contacts WHERE partner_id = @PartnerId", new { PartnerId = partnerId });
    }

    [Fact]
    public async Task Contacts_added_by_the_partner_and_by_the_operator_are_listed_by_name()
    {
        using var partnerClient = service.CreateClient(_partner.AccessToken);

        var added = await partnerClient.PostAsJsonAsync(
            ContactsOf(_partner.PartnerId),
            new { name = "  Bram de Vries  ", email = " bram@woonstichting.example.nl ", phoneNumber = "020 123 4567", role = "Wijkconsulent" },
            Cancel);
        var byOperator = await _operator.PostAsJsonAsync(
            ContactsOf(_partner.PartnerId), new { name = "Anna Jansen", email = "anna@woonstichting.example.nl" }, Cancel);

        var bram = await added.ReadJsonAsync(HttpStatusCode.Created);
        var bramId = bram.GetProperty("id").GetGuid();
        Assert.Equal($"{ContactsOf(_partner.PartnerId)}/{bramId}", added.Headers.Location?.OriginalString);
        Assert.Equal("Bram de Vries", bram.GetProperty("name").GetString());
        Assert.Equal("bram@woonstichting.example.nl", bram.GetProperty("email").GetString());
        var anna = await byOperator.ReadJsonAsync(HttpStatusCode.Created);

        var contacts = await ListContactsAsync(partnerClient, _partner.PartnerId);
        Assert.Equal(
            [anna.GetProperty("id").GetGuid(), bramId],
            contacts.Select(contact => contact.GetProperty("id").GetGuid()));
        Assert.Equal("Bram de Vries", contacts[1].GetProperty("name").GetString());
        Assert.Equal("bram@woonstichting.example.nl", contacts[1].GetProperty("email").GetString());
        Assert.Equal("020 123 4567", contacts[1].GetProperty("phoneNumber").GetString());
        Assert.Equal("Wijkconsulent", contacts[1].GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, contacts[0].GetProperty("phoneNumber").ValueKind);
        Assert.Equal(JsonValueKind.Null, contacts[0].GetProperty("role").ValueKind);
        Assert.Equal(2, (await ListContactsAsync(_operator, _partner.PartnerId)).Count);

        // Another partner's contacts are its own.
        var other = await service.Tokens.RegisterPartnerAsync();
        Assert.Empty(await ListContactsAsync(_operator, other.PartnerId));
    }

    [Fact]
    public async Task An_invalid_contact_gets_a_400_problem_naming_each_field_and_is_not_stored()
    {
        var response = await _operator.PostAsJsonAsync(
            ContactsOf(_partner.PartnerId), new { name = new string('A', 201), email = "geen-adres", role = new string('R', 101) }, Cancel);
        var empty = await _operator.PostAsJsonAsync(ContactsOf(_partner.PartnerId), new { }, Cancel);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "email");
        Assert.Equal(
            ["email", "name", "role"],
            problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).Order(StringComparer.Ordinal));
        var missing = await empty.AssertProblemAsync(HttpStatusCode.BadRequest, "name");
        Assert.Equal(
            ["email", "name"],
            missing.GetProperty("errors").EnumerateObject().Select(error => error.Name).Order(StringComparer.Ordinal));
        Assert.Equal(0, await CountContactsAsync(_partner.PartnerId));
    }

    [Fact]
    public async Task Another_partner_cannot_add_or_list_a_partners_contacts()
    {
        await (await _operator.PostAsJsonAsync(
            ContactsOf(_partner.PartnerId), new { name = "Anna Jansen", email = "anna@woonstichting.example.nl" }, Cancel))
            .ReadJsonAsync(HttpStatusCode.Created);
        var stranger = await service.Tokens.RegisterPartnerAsync("municipality");
        using var strangerClient = service.CreateClient(stranger.AccessToken);

        var list = await strangerClient.GetAsync(new Uri(ContactsOf(_partner.PartnerId), UriKind.Relative), Cancel);
        var add = await strangerClient.PostAsJsonAsync(
            ContactsOf(_partner.PartnerId), new { name = "Indringer", email = "indringer@example.org" }, Cancel);

        var listBody = await list.Content.ReadAsStringAsync(Cancel);
        Assert.DoesNotContain("Anna", listBody, StringComparison.Ordinal);
        await list.AssertProblemAsync(HttpStatusCode.Forbidden);
        await add.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(1, await CountContactsAsync(_partner.PartnerId));
    }

    [Fact]
    public async Task The_contacts_of_an_unknown_partner_are_problem_404s_and_anonymous_callers_get_401s()
    {
        var unknown = Guid.NewGuid();
        using var anonymous = service.CreateClient();

        await (await _operator.GetAsync(new Uri(ContactsOf(unknown), UriKind.Relative), Cancel)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _operator.PostAsJsonAsync(ContactsOf(unknown), new { name = "Niemand", email = "niemand@example.org" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        await (await anonymous.GetAsync(new Uri(ContactsOf(_partner.PartnerId), UriKind.Relative), Cancel))
            .AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.PostAsJsonAsync(ContactsOf(_partner.PartnerId), new { name = "Anoniem", email = "anoniem@example.org" }, Cancel))
            .AssertProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Equal(0, await CountContactsAsync(unknown));
        Assert.Equal(0, await CountContactsAsync(_partner.PartnerId));
    }
}
