using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Participatie.Contracts;

namespace Participatie.Notifications.Delivery.Sms;

/// <summary>
/// Where the SMS provider posts its delivery reports. A provider has no platform token, so the endpoint is anonymous and
/// routed by the gateway; what admits a report is its signature, <c>X-Signature: sha256=&lt;hex HMAC-SHA256 of the
/// body&gt;</c> under the secret shared with the provider. Not in the OpenAPI document: its shape is the provider's,
/// not part of the partners' API.
/// </summary>
public static class SmsDeliveryReportsApi
{
    public const string Path = "/v1/notifications/delivery-reports/sms";
    public const string SignatureHeader = "X-Signature";

    /// <summary>A report is a few hundred bytes; anything much larger is not one.</summary>
    private const int MaxReportBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapSmsDeliveryReports(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(Path, ReceiveReport).AllowAnonymous().ExcludeFromDescription();
        return routes;
    }

    /// <summary>The signature of a report body as the provider sends it in <see cref="SignatureHeader"/>.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    internal static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> ReceiveReport(
        HttpRequest request, IOptions<SmsOptions> options, [FromServices] IDeliveryReports reports, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null || !HasValidSignature(body, request.Headers[SignatureHeader].ToString(), options.Value.ReportSecret))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "The delivery report is not signed by the SMS provider.",
                detail: $"Sign the body with HMAC-SHA256 under the shared secret and send it as '{SignatureHeader}: sha256=<hex>'.",
                type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2");
        }

        ProviderReport? report;
        try
        {
            report = JsonSerializer.Deserialize<ProviderReport>(body, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            report = null;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(report?.Id))
        {
            errors["id"] = ["The provider's message id is required."];
        }

        DeliveryReport? outcome = report?.Status switch
        {
            "delivered" => DeliveryReport.Delivered,
            "failed" or "undelivered" => DeliveryReport.Failed,
            _ => null,
        };
        if (outcome is null)
        {
            errors["status"] = ["One of: delivered, failed."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // The reference is the notification's id, which the platform gave the provider: it finds the notification even
        // when the report overtakes the worker's record of the provider's id.
        var recorded = Guid.TryParse(report!.Reference, out var notificationId)
            ? await reports.ReportAsync(notificationId, outcome!.Value, report.Error, cancellationToken)
            : await reports.ReportByProviderReferenceAsync(Channels.Sms, report.Id!, outcome!.Value, report.Error, cancellationToken);
        // Unknown: the report may have overtaken the worker's record of the send, so a provider that retries on an
        // error answer (they do) brings it again; a repeated report meets the same answer and does no harm.
        return recorded
            ? TypedResults.NoContent()
            : TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "No sent SMS has this provider reference.",
                detail: $"No SMS awaiting a report was sent as '{report.Id}'.",
                type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5");
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxReportBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxReportBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static bool HasValidSignature(byte[] body, string signature, string secret) =>
        secret.Length > 0
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(body, secret)), Encoding.ASCII.GetBytes(signature.Trim()));

    private sealed record ProviderReport(string? Id, string? Reference, string? Status, string? Error);
}
