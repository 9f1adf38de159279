using System.Security.Claims;
using System.Xml;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;
using Participatie.PartnerCoordination.Identity;

namespace Participatie.PartnerCoordination.Partners;

/// <summary>
/// A partner's logo, which its staff see in the partner console. The partner sets it (its admin, its system client or
/// the operator); every caller may read it, as every caller may read the partner's name.
/// </summary>
public static class PartnerLogoApi
{
    public const int MaximumBytes = 50 * 1024;
    public const string Png = "image/png";
    public const string Svg = "image/svg+xml";
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static IEndpointRouteBuilder MapPartnerLogoApi(this IEndpointRouteBuilder routes)
    {
        routes.MapApiGroup("/v1/partners/{partnerId:guid}/logo", "Partners", AuthenticationExtensions.CallerPolicy)
            .WithPartnerAccess()
            .MapPut("", SetLogo)
            .WithName("SetPartnerLogo")
            .WithSummary("Set the partner's logo: a PNG or SVG of at most 50 KB, sent as the body (the partner's admin, its system client or the operator)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        routes.MapApiGroup("/v1/partners/{partnerId:guid}/logo", "Partners", AuthenticationExtensions.CallerPolicy)
            .MapGet("", GetLogo)
            .WithName("GetPartnerLogo")
            .WithSummary("The partner's logo as it was set; 404 when it has none")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    internal static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> SetLogo(
        Guid partnerId, HttpRequest request, ClaimsPrincipal user, NpgsqlDataSource database, TimeProvider clock, CancellationToken cancellationToken)
    {
        // A logo is what every staff member of the partner sees: a plain staff member does not change it for all.
        if (StaffRoles.StaffMemberId(user) is not null && user.FindFirst(StaffRoles.Claim)?.Value != StaffRoles.PartnerAdmin)
        {
            return Problems.Forbidden("Only the partner's admin, its system clients or the platform operator set its logo.");
        }

        var contentType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (contentType is not (Png or Svg))
        {
            return Invalid($"The logo must be sent as {Png} or {Svg}.");
        }

        var content = await ReadAtMostAsync(request.Body, MaximumBytes + 1, cancellationToken);
        if (content.Length > MaximumBytes)
        {
            return Invalid($"The logo may be at most {MaximumBytes / 1024} KB.");
        }

        if (content.Length == 0 || (contentType == Png ? !content.AsSpan().StartsWith(PngSignature) : !IsPlainSvg(content)))
        {
            return Invalid(contentType == Png
                ? "The logo is not a PNG image."
                : "The logo is not an SVG image without scripts, event handlers or external references.");
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var stored = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO partner_logos (partner_id, content_type, content, updated_at)
            SELECT id, @ContentType, @Content, @Now FROM partners WHERE id = @PartnerId
            ON CONFLICT (partner_id) DO UPDATE SET content_type = excluded.content_type, content = excluded.content, updated_at = excluded.updated_at
            """,
            new { PartnerId = partnerId, ContentType = contentType, Content = content, Now = clock.GetUtcNow() },
            cancellationToken: cancellationToken));
        return stored == 0 ? Problems.NotFound("partner", partnerId) : TypedResults.NoContent();
    }

    internal static async Task<IResult> GetLogo(Guid partnerId, HttpResponse response, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var logo = await connection.QuerySingleOrDefaultAsync<(string ContentType, byte[] Content)>(new CommandDefinition(
            "SELECT content_type, content FROM partner_logos WHERE partner_id = @PartnerId",
            new { PartnerId = partnerId }, cancellationToken: cancellationToken));
        if (logo.Content is null)
        {
            return Problems.NotFound("logo of partner", partnerId);
        }

        // An SVG opened on its own is a document: it may run nothing and load nothing. As an attachment it is not even
        // opened: a browser that follows a direct link downloads it (an img tag ignores the header and still shows it),
        // and nosniff keeps a browser from reading it as anything but the type it was stored as.
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
        response.Headers.XContentTypeOptions = "nosniff";
        return Results.Bytes(logo.Content, logo.ContentType, fileDownloadName: logo.ContentType == Svg ? "logo.svg" : "logo.png");
    }

    private static ValidationProblem Invalid(string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["logo"] = [message] });

    private static async Task<byte[]> ReadAtMostAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while (buffer.Length < limit && (read = await body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit - buffer.Length)), cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>An SVG document with no script, no event handler, no foreign content and no reference outside itself.</summary>
    private static bool IsPlainSvg(byte[] content)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(content), settings);
            var sawRoot = false;
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (!sawRoot && reader.LocalName != "svg")
                {
                    return false;
                }

                sawRoot = true;
                if (reader.LocalName is "script" or "foreignObject" or "iframe" or "image" or "use")
                {
                    return false;
                }

                while (reader.MoveToNextAttribute())
                {
                    if (reader.LocalName.StartsWith("on", StringComparison.OrdinalIgnoreCase)
                        || (reader.LocalName == "href" && !reader.Value.StartsWith('#')))
                    {
                        return false;
                    }
                }
            }

            return sawRoot;
        }
        catch (XmlException)
        {
            return false;
        }
    }
}
