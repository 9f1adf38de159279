using System.Net;

namespace Participatie.Consultations.Partners;

/// <summary>Asks the partner-coordination service whether a partner exists.</summary>
public interface IPartnerDirectory
{
    Task<bool> ExistsAsync(Guid partnerId, CancellationToken cancellationToken);
}

internal sealed class PartnerDirectory(HttpClient httpClient) : IPartnerDirectory
{
    public async Task<bool> ExistsAsync(Guid partnerId, CancellationToken cancellationToken)
    {
        using var response = await httpClient.GetAsync(new Uri($"/v1/partners/{partnerId}", UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }
}
