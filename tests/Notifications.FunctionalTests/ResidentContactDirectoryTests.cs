using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Participatie.BuildingBlocks.Auth;
using Participatie.Contracts;
using Participatie.Notifications.Delivery;
using Participatie.Notifications.Delivery.Contacts;
using Participatie.Testing;

namespace Participatie.Notifications.FunctionalTests;

/// <summary>
/// The contact directory's client against the real residents service and the real token server: the one address a
/// delivery needs, null where there is none, an exception where something failed, and one token for many calls.
/// In the notifications collection, so that the residents service (which also consumes from the broker) runs alone
/// with this class rather than beside tests that publish the events it answers.
/// </summary>
[Collection(NotificationsCollection.Name)]
public sealed class ResidentContactDirectoryTests(NotificationsService notifications, PlatformContainers containers) : IAsyncLifetime
{
    // Inside the test gemeenten that the fixtures grant every test partner (the residents service keeps partners to their areas).
    private readonly string _buurtCode = TestData.NewBuurtCode();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private ResidentsHost _residents = null!;
    private HttpClient _partnerClient = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _residents = await ResidentsHost.StartAsync(containers);
        _partnerClient = (await containers.TokenServer.RegisterPartnerAsync("housing-corporation")).Authorize(_residents.CreateClient());
    }

    public async ValueTask DisposeAsync()
    {
        _partnerClient.Dispose();
        await _residents.DisposeAsync();
    }

    /// <summary>The client wired by <see cref="ResidentContactsExtensions.AddResidentContacts"/>, its calls routed to the test hosts.</summary>
    private IHost StartDirectoryHost(CountingHandler tokenRequests, string clientSecret = TokenServer.NotificationsClientSecret)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Residents:BaseAddress"] = "http://residents";
        builder.Configuration["Residents:ClientSecret"] = clientSecret;
        builder.Configuration["Identity:TokenEndpoint"] = "http://token-server/connect/token";
        builder.Services.AddSingleton<TimeProvider>(_clock);
        builder.AddResidentContacts();
        builder.Services.AddHttpClient(AuthenticationExtensions.TokenServerHttpClientName).ConfigurePrimaryHttpMessageHandler(() => tokenRequests);
        builder.Services.AddHttpClient(ResidentContactDirectory.HttpClientName).ConfigurePrimaryHttpMessageHandler(_residents.Server.CreateHandler);
        return builder.Build();
    }

    private CountingHandler CountTokenRequests() => new(containers.TokenServer.CreateHandler());

    private async Task<Guid> RegisterAsync(object resident)
    {
        var response = await _partnerClient.PostAsJsonAsync("/v1/residents", resident, Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
    }

    [Fact]
    public void The_notifications_service_asks_the_residents_service()
    {
        Assert.IsType<ResidentContactDirectory>(notifications.Services.GetRequiredService<IContactDirectory>());
    }

    [Fact]
    public async Task Each_channel_gets_its_own_address_with_one_token_for_every_call()
    {
        var residentId = await RegisterAsync(new
        {
            fullName = "Amira El Amrani", postcode = "3011 ab", houseNumber = 7, houseNumberSuffix = "A", street = "Hoogstraat",
            city = "Rotterdam", buurtCode = _buurtCode, email = "amira@example.org", phoneNumber = "0612345678",
            preferredLanguage = "ar", preferredChannel = "email",
        });
        var tokenRequests = CountTokenRequests();
        using var host = StartDirectoryHost(tokenRequests);
        var directory = host.Services.GetRequiredService<IContactDirectory>();

        var email = await directory.FindAsync(residentId, Channels.Email, Guid.NewGuid(), Cancel);
        var sms = await directory.FindAsync(residentId, Channels.Sms, Guid.NewGuid(), Cancel);
        var letter = await directory.FindAsync(residentId, Channels.Letter, Guid.NewGuid(), Cancel);

        Assert.Equal(new ContactDetails { EmailAddress = "amira@example.org" }, email);
        Assert.Equal(new ContactDetails { PhoneNumber = "0612345678" }, sms);
        Assert.Equal(
            new PostalAddress { Name = "Amira El Amrani", Street = "Hoogstraat", HouseNumber = 7, HouseNumberSuffix = "A", Postcode = "3011AB", City = "Rotterdam" },
            letter?.PostalAddress);
        Assert.Null(letter?.EmailAddress);
        Assert.Equal(1, tokenRequests.Count);

        // Shortly before the hour-long token expires, a new one is fetched; until then none.
        _clock.Advance(TimeSpan.FromMinutes(50));
        await directory.FindAsync(residentId, Channels.Email, Guid.NewGuid(), Cancel);
        Assert.Equal(1, tokenRequests.Count);
        _clock.Advance(TimeSpan.FromMinutes(9));
        await directory.FindAsync(residentId, Channels.Email, Guid.NewGuid(), Cancel);
        Assert.Equal(2, tokenRequests.Count);
    }

    [Fact]
    public async Task No_usable_address_and_an_unknown_resident_are_null()
    {
        var residentId = await RegisterAsync(new
        {
            fullName = "Piet Smit", postcode = "3011 AC", houseNumber = 2, buurtCode = _buurtCode,
            preferredLanguage = "nl", preferredChannel = "letter",
        });
        using var host = StartDirectoryHost(CountTokenRequests());
        var directory = host.Services.GetRequiredService<IContactDirectory>();

        Assert.Null(await directory.FindAsync(residentId, Channels.Email, Guid.NewGuid(), Cancel));
        Assert.Null(await directory.FindAsync(residentId, Channels.Sms, Guid.NewGuid(), Cancel));
        Assert.Null(await directory.FindAsync(Guid.NewGuid(), Channels.Letter, Guid.NewGuid(), Cancel));
        Assert.NotNull(await directory.FindAsync(residentId, Channels.Letter, Guid.NewGuid(), Cancel));
    }

    [Fact]
    public async Task A_refused_client_is_an_exception_the_worker_retries_not_a_missing_address()
    {
        var residentId = await RegisterAsync(new
        {
            fullName = "Piet Smit", postcode = "3011 AC", houseNumber = 2, buurtCode = _buurtCode,
            preferredLanguage = "nl", preferredChannel = "letter",
        });
        using var host = StartDirectoryHost(CountTokenRequests(), clientSecret: "not-the-secret");
        var directory = host.Services.GetRequiredService<IContactDirectory>();

        await Assert.ThrowsAsync<HttpRequestException>(() => directory.FindAsync(residentId, Channels.Letter, Guid.NewGuid(), Cancel));
    }

    /// <summary>Counts the requests that reach the token server.</summary>
    private sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _count;

        public int Count => _count;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
