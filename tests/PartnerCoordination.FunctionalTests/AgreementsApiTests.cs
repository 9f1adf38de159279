using System.Net;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>Agreements between the partners of a trajectory: who does what.</summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed class AgreementsApiTests(PartnerCoordinationService service) : IAsyncLifetime
{
    private TrajectoryCast _cast = null!;

    public async ValueTask InitializeAsync() => _cast = await TrajectoryCast.CreateAsync(service);

    public ValueTask DisposeAsync()
    {
        _cast.Dispose();
        return ValueTask.CompletedTask;
    }

    private string Agreements => _cast.Path("/agreements");

    private static object NewAgreement(string title, params Guid[] partnerIds) =>
        new { title, description = "De gemeente regelt de zaal, de corporatie de uitnodigingen.", partnerIds };

    [Fact]
    public async Task An_agreement_binds_partners_of_the_trajectory_and_every_partner_reads_it()
    {
        var first = await _cast.Contributor.PostCreatedAsync(Agreements, NewAgreement("Zaal en uitnodigingen", _cast.Lead.Id, _cast.Contributor.Id, _cast.Lead.Id));
        var second = await _cast.Lead.PostCreatedAsync(Agreements, NewAgreement("Verslaglegging", _cast.Observer.Id));
        var firstId = first.GetProperty("id").GetGuid();

        Assert.Equal("Zaal en uitnodigingen", first.GetProperty("title").GetString());
        Assert.Equal(_cast.Contributor.Id, first.GetProperty("ownerPartnerId").GetGuid());
        Assert.Equal(
            new[] { _cast.Lead.Id, _cast.Contributor.Id }.Order(),
            first.GetProperty("partnerIds").EnumerateArray().Select(id => id.GetGuid()).Order());

        var list = await _cast.Observer.GetOkAsync(Agreements);
        Assert.Equal([second.GetProperty("id").GetGuid(), firstId], list.Ids());
        var read = await _cast.Observer.GetOkAsync($"{Agreements}/{firstId}");
        Assert.Equal("De gemeente regelt de zaal, de corporatie de uitnodigingen.", read.GetProperty("description").GetString());
        Assert.Equal(2, read.GetProperty("partnerIds").GetArrayLength());
        await (await _cast.Observer.GetAsync($"{Agreements}/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_invalid_agreement_gets_a_400_problem_naming_each_field()
    {
        var empty = await _cast.Lead.PostAsync(Agreements, new { partnerIds = Array.Empty<Guid>() });

        var problem = await empty.AssertProblemAsync(HttpStatusCode.BadRequest, "partnerIds");
        Assert.Equal(
            ["description", "partnerIds", "title"],
            problem.GetProperty("errors").EnumerateObject().Select(error => error.Name).Order(StringComparer.Ordinal));
        Assert.Equal(0, (await _cast.Lead.GetOkAsync(Agreements)).GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task An_agreement_with_a_partner_outside_the_trajectory_is_a_422_naming_partnerIds()
    {
        var response = await _cast.Lead.PostAsync(Agreements, NewAgreement("Met een buitenstaander", _cast.Lead.Id, _cast.Outsider.Id));

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "partnerIds");
        Assert.Equal(0, (await _cast.Lead.GetOkAsync(Agreements)).GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task To_an_outsider_the_agreements_do_not_exist_and_an_observer_reads_but_adds_none()
    {
        var agreement = await _cast.Lead.PostCreatedAsync(Agreements, NewAgreement("Geheime afspraak", _cast.Lead.Id));
        var agreementId = agreement.GetProperty("id").GetGuid();

        foreach (var response in new[]
        {
            await _cast.Outsider.GetAsync(Agreements),
            await _cast.Outsider.GetAsync($"{Agreements}/{agreementId}"),
            await _cast.Outsider.PostAsync(Agreements, NewAgreement("Van buiten", _cast.Outsider.Id)),
        })
        {
            Assert.DoesNotContain("Geheime afspraak", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
            await response.AssertProblemAsync(HttpStatusCode.NotFound);
        }

        await (await _cast.Observer.PostAsync(Agreements, NewAgreement("Van de waarnemer", _cast.Observer.Id))).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal([agreementId], (await _cast.Observer.GetOkAsync(Agreements)).Ids());
    }
}
