using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Participatie.Contracts;
using Participatie.Residents.Contacts;
using Participatie.Testing;

namespace Participatie.Residents.FunctionalTests;

/// <summary>
/// The internal contact endpoint: only the notifications service's own token, one channel's address at a time, every
/// disclosure logged, and an address reported undeliverable no longer given out.
/// </summary>
public sealed class ContactDetailsTests(ResidentsService service, PlatformContainers containers)
    : IClassFixture<ResidentsService>, IAsyncLifetime
{
    private HttpClient _partnerClient = null!;
    // A home of its own per test: the same home and e-mail address registered twice is one resident (the matching rule).
    private readonly string _postcode = TestData.NewPostcode();
    private HttpClient _serviceClient = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var partner = await containers.TokenServer.RegisterPartnerAsync("housing-corporation");
        _partnerClient = partner.Authorize(service.CreateClient());
        _serviceClient = TokenServer.Authorized(service.CreateClient(), await containers.TokenServer.GetNotificationsTokenAsync());
    }

    public ValueTask DisposeAsync()
    {
        _partnerClient.Dispose();
        _serviceClient.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<Guid> RegisterAsync(object resident)
    {
        var response = await _partnerClient.PostAsJsonAsync("/v1/residents", resident, Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    private Task<Guid> RegisterFullyReachableAsync() => RegisterAsync(new
    {
        fullName = "Yusuf Demir",
        postcode = _postcode,
        houseNumber = 12,
        houseNumberSuffix = "b",
        street = "Hoogstraat",
        city = "Rotterdam",
        buurtCode = "BU91990110",
        email = "yusuf@example.org",
        phoneNumber = "+31612345678",
        preferredLanguage = "tr",
        preferredChannel = "email",
    });

    private static string ContactPath(Guid residentId, string channel, Guid notificationId) =>
        $"/internal/v1/residents/{residentId}/contact-details/{channel}?notificationId={notificationId}";

    private async Task<JsonElement> GetContactAsync(Guid residentId, string channel, Guid notificationId)
    {
        var response = await _serviceClient.GetAsync(ContactPath(residentId, channel, notificationId), Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<List<JsonElement>> AccessLogAsync(Guid residentId)
    {
        var log = await _partnerClient.GetFromJsonAsync<JsonElement>($"/v1/residents/{residentId}/access-log?pageSize=50", Cancel);
        return [.. log.GetProperty("items").EnumerateArray()];
    }

    [Fact]
    public async Task Only_a_token_with_the_contact_details_scope_gets_an_address()
    {
        var residentId = await RegisterFullyReachableAsync();
        var path = ContactPath(residentId, Channels.Email, Guid.NewGuid());

        using var anonymous = service.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path, Cancel)).StatusCode);
        // Even the partner that registered the resident: its own API is the place for that, with its own log entry.
        await (await _partnerClient.GetAsync(path, Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        using var operatorClient = TokenServer.Authorized(service.CreateClient(), await containers.TokenServer.GetOperatorTokenAsync());
        await (await operatorClient.GetAsync(path, Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(HttpStatusCode.OK, (await _serviceClient.GetAsync(path, Cancel)).StatusCode);
        // The service token in turn opens none of the partners' endpoints.
        await (await _serviceClient.GetAsync($"/v1/residents/{residentId}", Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _serviceClient.GetAsync("/v1/residents/aggregates?buurtCode=BU91990110", Cancel)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Each_channel_discloses_only_its_own_address_and_the_language()
    {
        var residentId = await RegisterFullyReachableAsync();

        var email = await GetContactAsync(residentId, Channels.Email, Guid.NewGuid());
        Assert.Equal(["channel", "emailAddress", "language", "residentId"], PropertyNames(email));
        Assert.Equal("yusuf@example.org", email.GetProperty("emailAddress").GetString());
        Assert.Equal("tr", email.GetProperty("language").GetString());

        var sms = await GetContactAsync(residentId, Channels.Sms, Guid.NewGuid());
        Assert.Equal(["channel", "language", "phoneNumber", "residentId"], PropertyNames(sms));
        Assert.Equal("+31612345678", sms.GetProperty("phoneNumber").GetString());

        var letter = await GetContactAsync(residentId, Channels.Letter, Guid.NewGuid());
        Assert.Equal(["channel", "language", "postalAddress", "residentId"], PropertyNames(letter));
        var address = letter.GetProperty("postalAddress");
        Assert.Equal("Yusuf Demir", address.GetProperty("name").GetString());
        Assert.Equal("Hoogstraat", address.GetProperty("street").GetString());
        Assert.Equal(12, address.GetProperty("houseNumber").GetInt32());
        Assert.Equal("b", address.GetProperty("houseNumberSuffix").GetString());
        Assert.Equal(_postcode.Replace(" ", string.Empty, StringComparison.Ordinal), address.GetProperty("postcode").GetString());
        Assert.Equal("Rotterdam", address.GetProperty("city").GetString());
    }

    [Fact]
    public async Task Every_disclosure_is_in_the_access_log_naming_the_client_channel_and_notification()
    {
        var residentId = await RegisterFullyReachableAsync();
        var notificationId = Guid.NewGuid();

        await GetContactAsync(residentId, Channels.Sms, notificationId);

        var entry = (await AccessLogAsync(residentId))[0];
        Assert.Equal("read", entry.GetProperty("action").GetString());
        Assert.Equal(TokenServer.NotificationsClientId, entry.GetProperty("accessedBy").GetString());
        Assert.Equal(TokenServer.NotificationsClientId, entry.GetProperty("clientId").GetString());
        Assert.True(entry.GetProperty("partnerId").ValueKind == JsonValueKind.Null, entry.ToString());
        var purpose = entry.GetProperty("purpose").GetString()!;
        Assert.Contains(notificationId.ToString(), purpose, StringComparison.Ordinal);
        Assert.Contains("sms", purpose, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_address_for_the_channel_or_no_resident_is_a_404_and_nothing_is_logged()
    {
        var residentId = await RegisterAsync(new
        {
            fullName = "Ewa Nowak", postcode = "3011 AC", houseNumber = 3, buurtCode = "BU91990110",
            preferredLanguage = "pl", preferredChannel = "letter",
        });

        var noEmail = await _serviceClient.GetAsync(ContactPath(residentId, Channels.Email, Guid.NewGuid()), Cancel);
        var problem = await noEmail.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(ContactDetailsApi.NoUsableContactType, problem.GetProperty("type").GetString());
        await (await _serviceClient.GetAsync(ContactPath(Guid.NewGuid(), Channels.Letter, Guid.NewGuid()), Cancel))
            .AssertProblemAsync(HttpStatusCode.NotFound);

        // A letter needs no street or city: postcode and house number find the home.
        var letter = await GetContactAsync(residentId, Channels.Letter, Guid.NewGuid());
        Assert.Equal(["houseNumber", "name", "postcode"], PropertyNames(letter.GetProperty("postalAddress")));

        Assert.Equal(["read", "registered"], (await AccessLogAsync(residentId)).Select(entry => entry.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task A_channel_without_an_address_or_a_missing_notification_id_is_a_problem_naming_the_field()
    {
        var residentId = await RegisterFullyReachableAsync();

        await (await _serviceClient.GetAsync($"/internal/v1/residents/{residentId}/contact-details/email", Cancel))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "notificationId");
        await (await _serviceClient.GetAsync(ContactPath(residentId, Channels.App, Guid.NewGuid()), Cancel))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "channel");
        await (await _serviceClient.GetAsync(ContactPath(residentId, "pigeon", Guid.NewGuid()), Cancel))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "channel");
    }

    [Fact]
    public async Task An_undeliverable_report_withholds_that_address_once_logged_once_and_leaves_the_others()
    {
        var residentId = await RegisterFullyReachableAsync();
        var bus = service.Services.GetRequiredService<IBus>();
        var reportedAt = DateTimeOffset.UtcNow;
        var report = new ContactUndeliverable(residentId, Channels.Email, "550 5.1.1 mailbox unknown", Guid.NewGuid(), reportedAt);
        var messageId = Guid.NewGuid();

        await bus.Publish(report, context => context.MessageId = messageId, Cancel);
        // Redelivered, and a second bounce of another notification: neither changes or logs anything more.
        await bus.Publish(report, context => context.MessageId = messageId, Cancel);
        await bus.Publish(report with { NotificationId = Guid.NewGuid(), ReportedAt = reportedAt.AddMinutes(5) }, context => context.MessageId = Guid.NewGuid(), Cancel);

        var problem = await Eventually.MatchesAsync(
            async () => await _serviceClient.GetAsync(ContactPath(residentId, Channels.Email, Guid.NewGuid()), Cancel),
            response => response.StatusCode == HttpStatusCode.NotFound,
            "the e-mail address to be withheld");
        var body = await problem.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(ContactDetailsApi.NoUsableContactType, body.GetProperty("type").GetString());
        Assert.Contains("undeliverable", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // The phone number was not reported: it is still given.
        Assert.Equal("+31612345678", (await GetContactAsync(residentId, Channels.Sms, Guid.NewGuid())).GetProperty("phoneNumber").GetString());

        // Give the repeats time to arrive (they are consumed in any order), then count.
        await Task.Delay(TimeSpan.FromSeconds(2), Cancel);
        var updates = (await AccessLogAsync(residentId)).Where(entry => entry.GetProperty("action").GetString() == "update").ToList();
        var update = Assert.Single(updates);
        Assert.Equal("notifications", update.GetProperty("accessedBy").GetString());
        Assert.Contains("email", update.GetProperty("purpose").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_internal_endpoint_is_not_in_the_public_openapi_document()
    {
        using var anonymous = service.CreateClient();

        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi.json", Cancel);

        var paths = document.GetProperty("paths").EnumerateObject().Select(path => path.Name).ToList();
        Assert.Contains("/residents/{residentId}", paths);
        // The resident's own /me/contact-details (a new address to confirm) is public; the disclosure of addresses is not.
        Assert.DoesNotContain(paths, path => path.Contains("internal", StringComparison.Ordinal)
            || (path.StartsWith("/residents/", StringComparison.Ordinal) && path.Contains("contact-details", StringComparison.Ordinal)));
    }

    private static List<string> PropertyNames(JsonElement element) =>
        [.. element.EnumerateObject().Select(property => property.Name).Order(StringComparer.Ordinal)];
}
