using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>
/// Issue 11, guarded credentials: only a partner-admin (or the partner's system client, or the operator) manages a
/// partner's clients and staff; every such action is audited; staff can be disabled.
/// </summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed class StaffCredentialsTests(PartnerCoordinationService service)
{
    [Fact]
    public async Task A_plain_staff_token_cannot_create_a_client_or_a_staff_login()
    {
        var portal = await StaffWebSignIn.StartAsync(service);
        var (_, email) = await portal.AddStaffAsync();
        var (colleagueId, _) = await portal.AddStaffAsync();
        var staffToken = await portal.TokenForAsync(email);
        Assert.Equal("staff", new JsonWebToken(staffToken).GetClaim("staff_role").Value);
        using var staff = service.CreateClient(staffToken);
        var partnerId = portal.Partner.PartnerId;

        var client = await staff.PostAsJsonAsync($"/v1/partners/{partnerId}/clients", new { displayName = "Eigen sleutel", kind = "system" }, Cancel);
        var login = await staff.PostAsJsonAsync(
            $"/v1/partners/{partnerId}/staff", new { email = $"nog-een-{Guid.NewGuid():N}@partner.example", name = "Nog een", password = StaffWebSignIn.Password }, Cancel);
        var revoke = await staff.DeleteAsync($"/v1/partners/{partnerId}/clients/{portal.WebClientId}", Cancel);
        var disable = await staff.PostAsync($"/v1/partners/{partnerId}/staff/{colleagueId}/disable", null, Cancel);

        foreach (var refused in new[] { client, login, revoke, disable })
        {
            await refused.ReadJsonAsync(HttpStatusCode.Forbidden);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        // Still readable for the partner's people, and nothing was made.
        using var system = service.CreateClient(portal.Partner.AccessToken);
        var clients = await (await staff.GetAsync($"/v1/partners/{partnerId}/clients", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, clients.GetArrayLength());
        var audit = await (await system.GetAsync($"/v1/partners/{partnerId}/credential-audit", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(audit.GetProperty("items").EnumerateArray(), entry => entry.GetProperty("actorStaffId").ValueKind != JsonValueKind.Null);
    }

    [Fact]
    public async Task A_partner_admin_manages_clients_and_staff()
    {
        var portal = await StaffWebSignIn.StartAsync(service);
        var (_, email) = await portal.AddStaffAsync(role: "partner-admin");
        var adminToken = await portal.TokenForAsync(email);
        Assert.Equal("partner-admin", new JsonWebToken(adminToken).GetClaim("staff_role").Value);
        using var admin = service.CreateClient(adminToken);
        var partnerId = portal.Partner.PartnerId;

        var client = await (await admin.PostAsJsonAsync($"/v1/partners/{partnerId}/clients", new { displayName = "Koppeling", kind = "system" }, Cancel))
            .ReadJsonAsync(HttpStatusCode.Created);
        var colleague = await (await admin.PostAsJsonAsync(
            $"/v1/partners/{partnerId}/staff", new { email = $"collega-{Guid.NewGuid():N}@partner.example", name = "Collega", password = StaffWebSignIn.Password }, Cancel))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("staff", colleague.GetProperty("role").GetString());
        (await admin.DeleteAsync($"/v1/partners/{partnerId}/clients/{client.GetProperty("clientId").GetString()}", Cancel))
            .EnsureSuccessStatusCode();

        // An admin of one partner is nobody at another.
        var other = await service.Tokens.RegisterPartnerAsync("municipality");
        var elsewhere = await admin.PostAsJsonAsync($"/v1/partners/{other.PartnerId}/clients", new { displayName = "Inbraak", kind = "system" }, Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, elsewhere.StatusCode);
    }

    [Fact]
    public async Task A_role_that_does_not_exist_is_refused_naming_the_field()
    {
        var partner = await service.Tokens.RegisterPartnerAsync("housing-corporation");
        using var system = service.CreateClient(partner.AccessToken);

        var answer = await system.PostAsJsonAsync(
            $"/v1/partners/{partner.PartnerId}/staff",
            new { email = $"baas-{Guid.NewGuid():N}@partner.example", name = "Baas", password = StaffWebSignIn.Password, role = "owner" }, Cancel);

        var problem = await answer.ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("role", out _), problem.ToString());
    }

    [Fact]
    public async Task Every_credential_action_is_audited_with_who_acted_and_whether_the_operator_did()
    {
        var portal = await StaffWebSignIn.StartAsync(service);
        var partnerId = portal.Partner.PartnerId;
        var (adminId, adminEmail) = await portal.AddStaffAsync(role: "partner-admin");
        using var admin = service.CreateClient(await portal.TokenForAsync(adminEmail));
        var (staffId, _) = await portal.AddStaffAsync();
        (await admin.PostAsync($"/v1/partners/{partnerId}/staff/{staffId}/disable", null, Cancel)).EnsureSuccessStatusCode();
        using var op = service.CreateClient(await service.Tokens.GetOperatorTokenAsync());
        (await op.DeleteAsync($"/v1/partners/{partnerId}/clients/{portal.WebClientId}", Cancel)).EnsureSuccessStatusCode();

        using var system = service.CreateClient(portal.Partner.AccessToken);
        var page = await (await system.GetAsync($"/v1/partners/{partnerId}/credential-audit", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var entries = page.GetProperty("items").EnumerateArray()
            .Select(entry => (
                Action: entry.GetProperty("action").GetString(),
                Subject: entry.GetProperty("subjectId").GetString(),
                Client: entry.GetProperty("actorClientId").GetString(),
                Staff: entry.GetProperty("actorStaffId").ValueKind == JsonValueKind.Null ? (Guid?)null : entry.GetProperty("actorStaffId").GetGuid(),
                Operator: entry.GetProperty("actedAsOperator").GetBoolean()))
            .Reverse().ToList();

        var system1 = portal.Partner.ClientId;
        Assert.Equal(
            [
                ("client-registered", system1, "platform-operator", null, true),
                ("areas-granted", string.Join(" ", Participatie.Testing.TestData.TestGemeenten), "platform-operator", null, true),
                ("client-registered", portal.WebClientId, system1, null, false),
                ("staff-added", adminId.ToString(), system1, null, false),
                ("staff-added", staffId.ToString(), system1, null, false),
                ("staff-disabled", staffId.ToString(), portal.WebClientId, adminId, false),
                ("client-revoked", portal.WebClientId, "platform-operator", null, true),
            ],
            entries);
        Assert.All(page.GetProperty("items").EnumerateArray(), entry =>
            Assert.InRange(entry.GetProperty("occurredAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1)));

        // Another partner does not read it.
        var other = await service.Tokens.RegisterPartnerAsync("municipality");
        using var outsider = service.CreateClient(other.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync($"/v1/partners/{partnerId}/credential-audit", Cancel)).StatusCode);
    }

    [Fact]
    public async Task A_disabled_staff_member_signs_in_no_more_and_their_last_token_ends_within_5_minutes()
    {
        var portal = await StaffWebSignIn.StartAsync(service);
        var (staffId, email) = await portal.AddStaffAsync();
        using var browser = portal.Browser();
        var lastToken = new JsonWebToken(await portal.TokenForAsync(email, browser));
        var (verifier, challenge) = StaffWebSignIn.Pkce();
        var codeBeforeDisabling = await portal.AuthorizeSignedInAsync(browser, challenge);

        using var system = service.CreateClient(portal.Partner.AccessToken);
        var disabled = await system.PostAsync($"/v1/partners/{portal.Partner.PartnerId}/staff/{staffId}/disable", null, Cancel);
        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);

        // The token they hold ends within 5 minutes of being issued (no service trusts it longer), and there is no other.
        Assert.InRange(lastToken.ValidTo - lastToken.IssuedAt, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.False(lastToken.TryGetClaim("refresh_token", out _));
        var redeemed = await portal.RedeemRawAsync(browser, codeBeforeDisabling, verifier);
        Assert.NotEqual(HttpStatusCode.OK, redeemed.StatusCode);
        Assert.DoesNotContain("access_token", await redeemed.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        // Their sign-in cookie no longer gets a code: back to the sign-in page.
        var again = await browser.GetAsync(portal.AuthorizeUrl(StaffWebSignIn.Pkce().Challenge), Cancel);
        Assert.StartsWith("/account/sign-in", again.Headers.Location?.OriginalString, StringComparison.Ordinal);
        // And the right password opens nothing.
        using var freshBrowser = portal.Browser();
        var signIn = await portal.SignInAsync(freshBrowser, email, StaffWebSignIn.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);

        // Disabling twice, or someone unknown, is a 404.
        var twice = await system.PostAsync($"/v1/partners/{portal.Partner.PartnerId}/staff/{staffId}/disable", null, Cancel);
        await twice.ReadJsonAsync(HttpStatusCode.NotFound);
    }
}
