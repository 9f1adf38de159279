namespace Participatie.Client;

/// <summary>
/// Sends <c>API-Version</c> with the version of the documents this client was generated from, and refuses an answer
/// from another major version: its bodies would not be the ones the generated models read.
/// </summary>
public sealed class ApiVersionHandler : DelegatingHandler
{
    public const string HeaderName = "API-Version";

    /// <summary>The <c>info.version</c> of the OpenAPI documents under OpenApi/ (a unit test holds them equal).</summary>
    public const string ClientApiVersion = "1.0.0";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Remove(HeaderName);
        request.Headers.TryAddWithoutValidation(HeaderName, ClientApiVersion);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Headers.TryGetValues(HeaderName, out var answered)
            && answered.FirstOrDefault() is { } version
            && Major(version) != Major(ClientApiVersion))
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new ParticipatieApiException(
                $"The API answered with version {version}; this client reads version {ClientApiVersion}. Use a client for {version}.",
                status, body, new Dictionary<string, IEnumerable<string>>(StringComparer.OrdinalIgnoreCase) { [HeaderName] = [version] }, null);
        }

        return response;
    }

    private static string Major(string version) => version.Split('.')[0].Trim();
}
