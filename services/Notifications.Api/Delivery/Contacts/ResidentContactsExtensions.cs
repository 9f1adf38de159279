using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Participatie.Notifications.Delivery.Contacts;

public static class ResidentContactsExtensions
{
    /// <summary>
    /// <see cref="IContactDirectory"/> over the residents service's internal endpoint (<c>Residents:*</c>), with the
    /// service's own token from the token server (<c>Identity:TokenEndpoint</c>).
    /// </summary>
    public static IHostApplicationBuilder AddResidentContacts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ResidentContactsOptions>()
            .BindConfiguration(ResidentContactsOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (configuration["Identity:TokenEndpoint"] is { Length: > 0 } tokenEndpoint)
                {
                    options.TokenEndpoint = new Uri(tokenEndpoint);
                }
            });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ServiceAccessTokens>();
        builder.Services.AddHttpClient(ResidentContactDirectory.HttpClientName)
            .ConfigureHttpClient((services, client) =>
                client.BaseAddress = services.GetRequiredService<IOptions<ResidentContactsOptions>>().Value.BaseAddress);
        builder.Services.AddSingleton<IContactDirectory, ResidentContactDirectory>();
        return builder;
    }
}
