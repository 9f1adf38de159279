using System.Net;
using Participatie.Testing;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>
/// Issue 11: a disabled staff member's token stops within 5 minutes. On the token server whose clock the tests move
/// (the resident sign-in's fixture: its own database and broker virtual host).
/// </summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed class StaffTokenExpiryTests(ResidentTokenServer server) : IClassFixture<ResidentTokenServer>
{
    [Fact]
    public async Task A_disabled_staff_members_token_stops_within_5_minutes()
    {
        var portal = await StaffWebSignIn.StartAsync(server, server.Tokens());
        var (staffId, email) = await portal.AddStaffAsync();
        using var staff = TokenServer.Authorized(server.CreateClient(), await portal.TokenForAsync(email));
        var staffList = $"/v1/partners/{portal.Partner.PartnerId}/staff";
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync(staffList, Cancel)).StatusCode);
        using var system = TokenServer.Authorized(server.CreateClient(), portal.Partner.AccessToken);
        Assert.Equal(HttpStatusCode.NoContent, (await system.PostAsync($"{staffList}/{staffId}/disable", null, Cancel)).StatusCode);

        server.Time.Advance(TimeSpan.FromMinutes(5));

        var afterwards = await staff.GetAsync(staffList, Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
    }
}
