using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Participatie.Client;

namespace Participatie.UnitTests;

/// <summary>The .NET client's hand-written layer: the token, the API version, the problem exception.</summary>
public sealed class ClientHandlersTests
{
    private static readonly Uri Gateway = new("https://api.participatie.example.org");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_token_is_fetched_once_and_renewed_a_minute_before_it_expires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var server = new FakeGateway();
        using var client = Pipeline(server, clock);

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync("trajectories", Cancel);
        }

        Assert.Equal(1, server.TokenRequests);
        Assert.All(server.ApiRequests, request => Assert.Equal("Bearer token-1", request.Authorization));
        Assert.Equal(new Uri("https://api.participatie.example.org/v1/trajectories"), server.ApiRequests[0].Uri);
        Assert.Contains("grant_type=client_credentials", server.TokenBodies[0], StringComparison.Ordinal);
        Assert.Contains("client_id=zaaksysteem", server.TokenBodies[0], StringComparison.Ordinal);

        // The token lives an hour: 58 minutes on it is still used, 59 minutes on a new one is fetched.
        clock.Advance(TimeSpan.FromMinutes(58));
        using (await client.GetAsync("trajectories", Cancel))
        {
            Assert.Equal(1, server.TokenRequests);
        }

        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        using (await client.GetAsync("trajectories", Cancel))
        {
            Assert.Equal(2, server.TokenRequests);
            Assert.Equal("Bearer token-2", server.ApiRequests[^1].Authorization);
        }
    }

    [Fact]
    public async Task A_token_refused_with_401_is_not_used_again()
    {
        var server = new FakeGateway { RefuseNextApiRequest = true };
        using var client = Pipeline(server, new FakeTimeProvider(DateTimeOffset.UtcNow));

        using (var refused = await client.GetAsync("trajectories", Cancel))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var next = await client.GetAsync("trajectories", Cancel);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("Bearer token-2", server.ApiRequests[^1].Authorization);
    }

    [Fact]
    public async Task Every_request_names_the_api_version_and_an_answer_of_another_major_version_is_refused()
    {
        var server = new FakeGateway();
        using var client = Pipeline(server, new FakeTimeProvider(DateTimeOffset.UtcNow));
        using (await client.GetAsync("trajectories", Cancel))
        {
            Assert.Equal(ApiVersionHandler.ClientApiVersion, server.ApiRequests[0].ApiVersion);
        }

        server.AnswerVersion = "2.0.0";
        var refused = await Assert.ThrowsAsync<ParticipatieApiException>(() => client.GetAsync("trajectories", Cancel));
        Assert.Contains("2.0.0", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refused_credentials_are_a_problem_exception_naming_the_status()
    {
        var server = new FakeGateway { RefuseCredentials = true };
        using var client = Pipeline(server, new FakeTimeProvider(DateTimeOffset.UtcNow));

        var refused = await Assert.ThrowsAsync<ParticipatieApiException>(() => client.GetAsync("trajectories", Cancel));

        Assert.Equal(400, refused.StatusCode);
        Assert.Empty(server.ApiRequests);
    }

    [Fact]
    public void A_validation_problem_names_each_field_in_the_exception()
    {
        const string body = """
            {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,
             "errors":{"buurtCode":["'buurtCode' must be a CBS buurt code such as 'BU03630001'."],"addresses[0].postcode":["Unknown postcode."]},
             "traceId":"4bf92f3577b34da6a3ce929d0e0e4736"}
            """;

        var exception = new ParticipatieApiException("Bad Request", 400, body, new Dictionary<string, IEnumerable<string>>(), null);

        Assert.NotNull(exception.Problem);
        Assert.Equal(400, exception.Problem.Status);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", exception.Problem.TraceId);
        Assert.Equal(["Unknown postcode."], exception.ErrorsFor("addresses[0].postcode"));
        Assert.Empty(exception.ErrorsFor("title"));
        Assert.Contains("buurtCode: 'buurtCode' must be a CBS buurt code", exception.Message, StringComparison.Ordinal);
        Assert.Null(new ParticipatieApiException("Bad Gateway", 502, "<html>bad gateway</html>", new Dictionary<string, IEnumerable<string>>(), null).Problem);
    }

    [Fact]
    public void The_client_version_is_the_version_of_every_committed_document()
    {
        var folder = Path.Combine(RepositoryRoot(), "clients", "dotnet", "Participatie.Client", "OpenApi");
        var documents = Directory.GetFiles(folder, "*.json");

        Assert.Equal(4, documents.Length);
        Assert.All(documents, file =>
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            Assert.Equal(ApiVersionHandler.ClientApiVersion, document.RootElement.GetProperty("info").GetProperty("version").GetString());
        });
    }

    private static HttpClient Pipeline(FakeGateway server, TimeProvider clock) =>
        new(new ApiVersionHandler { InnerHandler = new ClientCredentialsHandler(Gateway, new ClientCredentials("zaaksysteem", "geheim"), clock) { InnerHandler = server } })
        {
            BaseAddress = ParticipatieClient.ApiBase(Gateway),
        };

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Participatie.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No Participatie.sln above the test's directory.");
    }

    /// <summary>The gateway's token endpoint and one API route, counting what reached them.</summary>
    private sealed class FakeGateway : HttpMessageHandler
    {
        public int TokenRequests { get; private set; }

        public List<string> TokenBodies { get; } = [];

        public List<(Uri? Uri, string? Authorization, string? ApiVersion)> ApiRequests { get; } = [];

        public bool RefuseNextApiRequest { get; set; }

        public bool RefuseCredentials { get; set; }

        public string AnswerVersion { get; set; } = "1.0.0";

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpResponseMessage response;
            if (request.RequestUri!.AbsolutePath == "/connect/token")
            {
                TokenBodies.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
                if (RefuseCredentials)
                {
                    response = new HttpResponseMessage(HttpStatusCode.BadRequest)
                    {
                        Content = new StringContent("""{"error":"invalid_client","error_description":"The client credentials are invalid."}""", Encoding.UTF8, "application/json"),
                    };
                }
                else
                {
                    TokenRequests++;
                    response = new HttpResponseMessage(HttpStatusCode.OK)
                    {
                        Content = new StringContent($$"""{"access_token":"token-{{TokenRequests}}","token_type":"Bearer","expires_in":3600}""", Encoding.UTF8, "application/json"),
                    };
                }
            }
            else
            {
                ApiRequests.Add((request.RequestUri, request.Headers.Authorization?.ToString(),
                    request.Headers.TryGetValues(ApiVersionHandler.HeaderName, out var versions) ? versions.Single() : null));
                response = new HttpResponseMessage(RefuseNextApiRequest ? HttpStatusCode.Unauthorized : HttpStatusCode.OK) { Content = new StringContent("{}") };
                RefuseNextApiRequest = false;
            }

            response.Headers.Add(ApiVersionHandler.HeaderName, AnswerVersion);
            return response;
        }
    }
}
