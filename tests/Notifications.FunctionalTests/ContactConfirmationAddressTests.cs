using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Participatie.BuildingBlocks.Auth;
using Participatie.Contracts;
using Participatie.Notifications.Delivery;
using Participatie.Notifications.Delivery.Contacts;
using Participatie.Testing;

namespace Participatie.Notifications.FunctionalTests;

/// <summary>
/// A contact confirmation must reach the new, pending address: the contact directory names the confirmation when it
/// asks the residents service (which gives that address for it), and names none for any other notification.
/// </summary>
public sealed class ContactConfirmationAddressTests(PlatformContainers containers)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_directory_asks_for_the_pending_address_of_the_confirmation_and_only_then()
    {
        var residents = new RecordingResidents();
        using var host = StartDirectoryHost(residents);
        var directory = host.Services.GetRequiredService<IContactDirectory>();
        var (residentId, notificationId, confirmationId) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        var pending = await directory.FindAsync(residentId, Channels.Email, notificationId, confirmationId, Cancel);
        await directory.FindAsync(residentId, Channels.Email, notificationId, Cancel);

        Assert.Equal("nieuw@example.org", pending?.EmailAddress);
        Assert.Equal(
            [
                $"/internal/v1/residents/{residentId}/contact-details/email?notificationId={notificationId}&confirmationId={confirmationId}",
                $"/internal/v1/residents/{residentId}/contact-details/email?notificationId={notificationId}",
            ],
            residents.Requests);
    }

    private IHost StartDirectoryHost(HttpMessageHandler residents)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Residents:BaseAddress"] = "http://residents";
        builder.Configuration["Residents:ClientSecret"] = TokenServer.NotificationsClientSecret;
        builder.Configuration["Identity:TokenEndpoint"] = "http://token-server/connect/token";
        builder.AddResidentContacts();
        builder.Services.AddHttpClient(AuthenticationExtensions.TokenServerHttpClientName).ConfigurePrimaryHttpMessageHandler(containers.TokenServer.CreateHandler);
        builder.Services.AddHttpClient(ResidentContactDirectory.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => residents);
        return builder.Build();
    }

    /// <summary>Stands in for the residents service's internal endpoint: records what is asked, answers with the new address.</summary>
    private sealed class RecordingResidents : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!.PathAndQuery);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("""{"emailAddress":"nieuw@example.org"}""", System.Text.Encoding.UTF8, "application/json"),
            });
        }
    }
}
