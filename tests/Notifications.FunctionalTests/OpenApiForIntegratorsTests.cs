using System.Text.Json;
using Participatie.Testing;

namespace Participatie.Notifications.FunctionalTests;

/// <summary>
/// The service's OpenAPI document is enough for an integrator on its own (issue 12, part 3): a vocabulary field is an
/// enum, every body has an example, every request string a maximum length, a 400/422 names its errors, every
/// protected operation its OAuth 2.0 scheme; and the API Design Rules ruleset finds nothing.
/// </summary>
[Collection(NotificationsCollection.Name)]
public sealed class OpenApiForIntegratorsTests(NotificationsService service)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_openapi_document_is_complete_for_an_integrator_and_passes_the_api_design_rules()
    {
        using var client = service.CreateClient();
        var json = await client.GetStringAsync("/openapi.json", Cancel);
        using var document = JsonDocument.Parse(json);

        var (findings, counts) = OpenApiAudit.Audit(document.RootElement, typeof(Participatie.Notifications.EntryPoint).Assembly);
        var lint = await OpenApiAudit.LintAsync(json, "notifications", Cancel);

        Assert.True(findings.Count == 0, string.Join(Environment.NewLine, findings));
        // The counts show the audit looked at something: a broken finder would pass with zero.
        Assert.True(counts.Operations > 0 && counts.ResponseExamples >= counts.Operations / 2, $"Too little checked: {counts}");
        Assert.True(counts.VocabularyFields > 0 && counts.RequestExamples > 0 && counts.BoundedStrings > 0, $"Too little checked: {counts}");
        Assert.True(counts.ResponseVocabularyFields > 0 && counts.BoundedParameters > 0, $"Too little checked: {counts}");
        // Vocabulary fields that may be null, whose enums list null.
        Assert.True(counts.NullableVocabularyFields > 0, $"Too little checked: {counts}");
        Assert.Empty(lint);
        OpenApiAudit.AssertClientDocumentIsCurrent(json, "notifications");
    }
}
