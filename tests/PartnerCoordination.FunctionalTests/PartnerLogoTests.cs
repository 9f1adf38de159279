using System.Net;
using System.Net.Http.Headers;
using System.Text;
using static Participatie.PartnerCoordination.FunctionalTests.Calls;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>A partner's logo for the console: set by the partner itself, small, a PNG or a harmless SVG, readable by every caller.</summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed class PartnerLogoTests(PartnerCoordinationService service)
{
    private const string Svg = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#0b4f8a"/></svg>""";

    [Fact]
    public async Task A_partner_sets_its_logo_and_every_caller_reads_it()
    {
        var partner = await service.Tokens.RegisterPartnerAsync("municipality");
        var other = await service.Tokens.RegisterPartnerAsync("housing-corporation");
        using var own = service.CreateClient(partner.AccessToken);
        using var stranger = service.CreateClient(other.AccessToken);

        Assert.Equal(HttpStatusCode.NotFound, (await own.GetAsync($"/v1/partners/{partner.PartnerId}/logo", Cancel)).StatusCode);
        using (var set = await own.PutAsync($"/v1/partners/{partner.PartnerId}/logo", Body(Encoding.UTF8.GetBytes(Svg), "image/svg+xml"), Cancel))
        {
            Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        }

        using var read = await stranger.GetAsync($"/v1/partners/{partner.PartnerId}/logo", Cancel);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("image/svg+xml", read.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Svg, await read.Content.ReadAsStringAsync(Cancel));
        Assert.Contains("sandbox", read.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        // Opened directly it is downloaded, never rendered as a document of the platform's origin; an img tag ignores
        // the disposition. The browser takes the stored type as it is, sniffing nothing.
        Assert.Equal("attachment", read.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("logo.svg", read.Content.Headers.ContentDisposition?.FileNameStar ?? read.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("nosniff", read.Headers.GetValues("X-Content-Type-Options").Single());

        // Replaced as a whole by a PNG.
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];
        (await own.PutAsync($"/v1/partners/{partner.PartnerId}/logo", Body(png, "image/png"), Cancel)).EnsureSuccessStatusCode();
        using var readPng = await own.GetAsync($"/v1/partners/{partner.PartnerId}/logo", Cancel);
        Assert.Equal(png, await readPng.Content.ReadAsByteArrayAsync(Cancel));
        Assert.Equal("attachment", readPng.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", readPng.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", readPng.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        // Another partner cannot set it.
        using var foreign = await stranger.PutAsync($"/v1/partners/{partner.PartnerId}/logo", Body(png, "image/png"), Cancel);
        Assert.True(foreign.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{foreign.StatusCode}");
    }

    [Theory]
    [InlineData("image/svg+xml", """<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>""")]
    [InlineData("image/svg+xml", """<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>""")]
    [InlineData("image/svg+xml", """<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><a x:href="https://evil.example">x</a></svg>""")]
    [InlineData("image/svg+xml", "<html>not an svg</html>")]
    [InlineData("image/png", "GIF89a not a png")]
    [InlineData("image/gif", "GIF89a")]
    public async Task A_logo_that_is_not_a_plain_PNG_or_SVG_is_refused_naming_the_field(string contentType, string content)
    {
        var partner = await service.Tokens.RegisterPartnerAsync("municipality");
        using var own = service.CreateClient(partner.AccessToken);

        using var response = await own.PutAsync($"/v1/partners/{partner.PartnerId}/logo", Body(Encoding.UTF8.GetBytes(content), contentType), Cancel);

        var problem = await response.ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("logo", out _), problem.GetRawText());
    }

    [Fact]
    public async Task A_logo_over_50_KB_is_refused()
    {
        var partner = await service.Tokens.RegisterPartnerAsync("municipality");
        using var own = service.CreateClient(partner.AccessToken);
        var big = new byte[(50 * 1024) + 1];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(big, 0);

        using var response = await own.PutAsync($"/v1/partners/{partner.PartnerId}/logo", Body(big, "image/png"), Cancel);

        var problem = await response.ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Contains("50 KB", problem.GetProperty("errors").GetProperty("logo")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_staff_member_may_not_change_the_logo_but_the_partners_admin_may()
    {
        var web = await StaffWebSignIn.StartAsync(service);
        var (_, staffEmail) = await web.AddStaffAsync();
        var (_, adminEmail) = await web.AddStaffAsync(role: "partner-admin");
        var logo = Encoding.UTF8.GetBytes(Svg);

        using var staff = service.CreateClient(await web.TokenForAsync(staffEmail));
        using var refused = await staff.PutAsync($"/v1/partners/{web.Partner.PartnerId}/logo", Body(logo, "image/svg+xml"), Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var admin = service.CreateClient(await web.TokenForAsync(adminEmail));
        using var accepted = await admin.PutAsync($"/v1/partners/{web.Partner.PartnerId}/logo", Body(logo, "image/svg+xml"), Cancel);
        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
    }

    private static ByteArrayContent Body(byte[] content, string contentType)
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return body;
    }
}
