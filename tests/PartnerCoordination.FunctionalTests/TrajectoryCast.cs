using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>
/// A fresh trajectory with a partner in each role and one outside it, each with a client that sends its token.
/// Every test builds its own, so that tests share no data.
/// </summary>
internal sealed class TrajectoryCast : IDisposable
{
    private TrajectoryCast(
        PartnerCoordinationService service, Guid trajectoryId, TestPartner lead, TestPartner contributor, TestPartner observer, TestPartner outsider)
    {
        TrajectoryId = trajectoryId;
        Lead = new Player(lead, service.CreateClient(lead.AccessToken));
        Contributor = new Player(contributor, service.CreateClient(contributor.AccessToken));
        Observer = new Player(observer, service.CreateClient(observer.AccessToken));
        Outsider = new Player(outsider, service.CreateClient(outsider.AccessToken));
    }

    public Guid TrajectoryId { get; }

    public Player Lead { get; }

    public Player Contributor { get; }

    public Player Observer { get; }

    /// <summary>A partner of the platform that takes no part in the trajectory.</summary>
    public Player Outsider { get; }

    /// <summary>The trajectory's path with the given rest, e.g. "/tasks".</summary>
    public string Path(string rest) => $"/v1/trajectories/{TrajectoryId}{rest}";

    public static async Task<TrajectoryCast> CreateAsync(PartnerCoordinationService service)
    {
        var tokens = service.Tokens;
        var lead = await tokens.RegisterPartnerAsync("housing-corporation");
        var contributor = await tokens.RegisterPartnerAsync("municipality");
        var observer = await tokens.RegisterPartnerAsync("tenants-organisation");
        var outsider = await tokens.RegisterPartnerAsync("social-institution");
        var trajectoryId = await tokens.CreateTrajectoryAsync(lead, "BU03630001");
        await tokens.SetMemberAsync(lead, trajectoryId, contributor.PartnerId, "contributor");
        await tokens.SetMemberAsync(lead, trajectoryId, observer.PartnerId, "observer");
        return new TrajectoryCast(service, trajectoryId, lead, contributor, observer, outsider);
    }

    public void Dispose()
    {
        Lead.Client.Dispose();
        Contributor.Client.Dispose();
        Observer.Client.Dispose();
        Outsider.Client.Dispose();
    }
}

/// <summary>A partner in a test, with its client.</summary>
internal sealed record Player(TestPartner Partner, HttpClient Client)
{
    public Guid Id => Partner.PartnerId;

    public async Task<JsonElement> PostCreatedAsync(string path, object body) =>
        await (await Client.PostAsJsonAsync(path, body, Cancel)).ReadJsonAsync(HttpStatusCode.Created);

    public async Task<JsonElement> GetOkAsync(string path) =>
        await (await Client.GetAsync(new Uri(path, UriKind.Relative), Cancel)).ReadJsonAsync(HttpStatusCode.OK);

    public Task<HttpResponseMessage> GetAsync(string path) => Client.GetAsync(new Uri(path, UriKind.Relative), Cancel);

    public Task<HttpResponseMessage> PostAsync(string path, object body) => Client.PostAsJsonAsync(path, body, Cancel);

    public Task<HttpResponseMessage> PutAsync(string path, object body) => Client.PutAsJsonAsync(path, body, Cancel);

    public Task<HttpResponseMessage> DeleteAsync(string path) => Client.DeleteAsync(new Uri(path, UriKind.Relative), Cancel);
}

internal static class JsonLists
{
    /// <summary>The ids of a page's items (or of an array), in order.</summary>
    public static List<Guid> Ids(this JsonElement pageOrArray) =>
        [.. (pageOrArray.ValueKind == JsonValueKind.Array ? pageOrArray : pageOrArray.GetProperty("items"))
            .EnumerateArray().Select(item => item.GetProperty("id").GetGuid())];

    public static List<string> Strings(this JsonElement array) => [.. array.EnumerateArray().Select(item => item.GetString()!)];
}
