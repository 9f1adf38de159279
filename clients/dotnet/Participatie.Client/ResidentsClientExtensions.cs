using Participatie.Client.Residents;

namespace Participatie.Client;

public static class ResidentsClientExtensions
{
    /// <summary>
    /// Registers a resident and returns their id, whether they were new (201) or already known at that home (200,
    /// now linked to the caller too). The generated method returns only the document's first success (the 200's body)
    /// and throws for the 201, so this is the one to use.
    /// </summary>
    /// <remarks>
    /// NSwag (14.7.1) returns from one method only the success answers whose body has the first one's type; the 200
    /// (<see cref="MatchedResidentResponse"/>: the id alone, so that whoever knows a home and an address learns nothing
    /// more) and the 201 (the whole <see cref="ResidentResponse"/>) differ on purpose. Wrapping the responses
    /// (<c>/wrapResponses</c> with <c>/generateResponseClasses</c>) still throws for the 201; only one schema for both
    /// would do, and that would change what the endpoint answers.
    /// </remarks>
    public static async Task<Guid> RegisterAsync(
        this IResidentsClient residents, RegisterResidentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(residents);
        try
        {
            return (await residents.RegisterResidentAsync(request, cancellationToken).ConfigureAwait(false)).Id;
        }
        catch (ParticipatieApiException<ResidentResponse> created) when (created.StatusCode == 201)
        {
            return created.Result.Id;
        }
    }
}
