using System.Net;
using System.Text;
using System.Text.Json;
using Participatie.Testing;

namespace Participatie.EndToEndTests;

/// <summary>
/// An integrator learns what was wrong from the error alone: a bad query parameter is named as sent, an unknown field
/// in a body is refused and named (not silently dropped), no .NET type name shows, and every answer — the gateway's
/// own 401 and 404 and the services' 400s for unreadable requests included — carries API-Version.
/// </summary>
public sealed class ApiErrorsTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_bad_query_parameter_is_named_as_sent_in_plain_words()
    {
        var corporation = await platform.RegisterPartnerWithClientAsync(TestData.NewPartnerName("Woonstichting Fout"), "housing-corporation");

        using var badPage = await corporation.Client.GetAsync("/v1/support-measurements?page=abc", Cancel);
        var errors = await ProblemErrorsAsync(badPage, HttpStatusCode.BadRequest);
        Assert.Equal(["page"], errors.Keys);
        Assert.Contains("whole number", errors["page"], StringComparison.Ordinal);

        using var badId = await corporation.Client.GetAsync("/v1/support-measurements?trajectoryId=not-an-id", Cancel);
        errors = await ProblemErrorsAsync(badId, HttpStatusCode.BadRequest);
        Assert.Equal(["trajectoryId"], errors.Keys);
        Assert.Contains("UUID", errors["trajectoryId"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_field_is_refused_and_named_and_nothing_is_stored()
    {
        var corporation = await platform.RegisterPartnerWithClientAsync(TestData.NewPartnerName("Woonstichting Veld"), "housing-corporation");
        var postcode = TestData.NewPostcode();
        var resident = new Dictionary<string, object>
        {
            ["fullName"] = "Fatima el Idrissi",
            ["postcode"] = postcode,
            ["houseNumber"] = 12,
            ["buurtCode"] = TestData.NewBuurtCode(),
            ["preferredLanguage"] = "nl",
            ["preferredChannel"] = "letter",
            ["prefferedChannel"] = "email",
        };

        using var misspelt = await PostJsonAsync(corporation.Client, "/v1/residents", resident);
        var errors = await ProblemErrorsAsync(misspelt, HttpStatusCode.BadRequest);
        Assert.Equal(["prefferedChannel"], errors.Keys);
        Assert.Contains("not a field", errors["prefferedChannel"], StringComparison.Ordinal);

        using var trajectory = await PostJsonAsync(corporation.Client, "/v1/trajectories", new Dictionary<string, object>
        {
            ["name"] = "Renovatie Veldbuurt",
            ["buurtCodes"] = new[] { TestData.NewBuurtCode() },
            ["colour"] = "red",
        });
        errors = await ProblemErrorsAsync(trajectory, HttpStatusCode.BadRequest);
        Assert.Equal(["colour"], errors.Keys);

        // Without the misspelt field the same resident is registered: the refusal kept nothing half-stored.
        resident.Remove("prefferedChannel");
        using var registered = await PostJsonAsync(corporation.Client, "/v1/residents", resident);
        Assert.True(registered.StatusCode == HttpStatusCode.Created, await registered.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task A_wrongly_typed_or_malformed_body_is_named_without_dotnet_types()
    {
        var corporation = await platform.RegisterPartnerWithClientAsync(TestData.NewPartnerName("Woonstichting Type"), "housing-corporation");

        using var wrongType = await PostJsonAsync(corporation.Client, "/v1/residents", new Dictionary<string, object>
        {
            ["fullName"] = "Jan de Vries",
            ["postcode"] = TestData.NewPostcode(),
            ["houseNumber"] = "twaalf",
            ["buurtCode"] = TestData.NewBuurtCode(),
        });
        var errors = await ProblemErrorsAsync(wrongType, HttpStatusCode.BadRequest);
        Assert.Equal(["houseNumber"], errors.Keys);
        Assert.Contains("whole number", errors["houseNumber"], StringComparison.Ordinal);

        using var malformed = await corporation.Client.PostAsync(
            "/v1/residents", new StringContent("{\"fullName\": \"Jan", Encoding.UTF8, "application/json"), Cancel);
        await ProblemErrorsAsync(malformed, HttpStatusCode.BadRequest);

        using var notJson = await corporation.Client.PostAsync(
            "/v1/residents", new StringContent("fullName=Jan", Encoding.UTF8, "text/plain"), Cancel);
        errors = await ProblemErrorsAsync(notJson, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(["body"], errors.Keys);
    }

    [Fact]
    public async Task The_gateways_own_answers_carry_api_version()
    {
        using var anonymous = platform.Anonymous();

        using var unauthorized = await anonymous.GetAsync("/v1/trajectories", Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal("1.0.0", Assert.Single(unauthorized.Headers.GetValues("API-Version")));

        using var unknown = await anonymous.GetAsync("/v1/nothing-lives-here", Cancel);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1.0.0", Assert.Single(unknown.Headers.GetValues("API-Version")));

        // A proxied answer keeps one header, not the service's and the gateway's side by side.
        using var proxied = await anonymous.GetAsync("/v1/public/consultations?buurtCode=" + TestData.NewBuurtCode(), Cancel);
        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
        Assert.Equal("1.0.0", Assert.Single(proxied.Headers.GetValues("API-Version")));
    }

    private static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, object body) =>
        client.PostAsync(path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"), Cancel);

    /// <summary>Checks the problem+json shape and the header, and returns its errors with the messages joined.</summary>
    private static async Task<Dictionary<string, string>> ProblemErrorsAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1.0.0", Assert.Single(response.Headers.GetValues("API-Version")));
        foreach (var dotnetWord in new[] { "Nullable", "System.", "Int32", "Guid ", "Participatie." })
        {
            Assert.DoesNotContain(dotnetWord, body, StringComparison.Ordinal);
        }

        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        return errors.EnumerateObject().ToDictionary(
            field => field.Name, field => string.Join(" ", field.Value.EnumerateArray().Select(m => m.GetString())));
    }
}
