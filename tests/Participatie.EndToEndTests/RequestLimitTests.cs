using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Participatie.Testing;

namespace Participatie.EndToEndTests;

/// <summary>
/// Bounded input through the gateway: a body over 1 MiB is answered 413 problem+json naming the body before any
/// service buffers it (the gateway refuses it: a service refusing it would close the connection mid-body, and the
/// caller saw a 502 once); bulk registration, which takes large bodies by design, accepts more, end to end.
/// </summary>
public sealed class RequestLimitTests(PlatformFixture platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_body_over_a_mebibyte_gets_413_problem_json_and_bulk_registration_takes_more()
    {
        var corporation = await platform.RegisterPartnerWithClientAsync(TestData.NewPartnerName("Woonstichting Groot"), "housing-corporation");
        var buurtCode = TestData.NewBuurtCode();
        var postcode = TestData.NewPostcode();

        // A resident whose name is two million characters long.
        var huge = JsonSerializer.Serialize(new { fullName = new string('a', 2_000_000), postcode, houseNumber = 1, buurtCode });
        using var tooLarge = await corporation.Client.PostAsync(
            "/v1/residents", new StringContent(huge, Encoding.UTF8, "application/json"), Cancel);
        var tooLargeBody = await tooLarge.Content.ReadAsStringAsync(Cancel);
        Assert.True(tooLarge.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{tooLarge.StatusCode}: {tooLargeBody}");
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(tooLargeBody).RootElement;
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty("body", out _), tooLargeBody);

        // 8,000 residents as CSV (over 1 MiB with long names) in one bulk request: read in full, a result per row.
        var csv = new StringBuilder("fullName,postcode,houseNumber,buurtCode,preferredLanguage,preferredChannel\n");
        for (var row = 0; row < 8_000; row++)
        {
            csv.Append(new string('b', 150)).Append(' ').Append(row).Append(',').Append(postcode).Append(',').Append(row + 1)
                .Append(',').Append(buurtCode).Append(",nl,letter\n");
        }

        Assert.True(csv.Length > 1024 * 1024);
        using var bulk = await corporation.Client.PostAsync(
            "/v1/residents/bulk", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"), Cancel);
        var body = await bulk.Content.ReadAsStringAsync(Cancel);
        Assert.True(bulk.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal(8_000, JsonDocument.Parse(body).RootElement.GetProperty("results").GetArrayLength());
    }
}
