using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;

namespace Participatie.Notifications.Texts;

/// <summary>
/// Partners check their own text (a consultation's description, an answer's explanation) before they publish it,
/// with the same check the platform runs on its own templates.
/// </summary>
public static class TextChecksApi
{
    public static IEndpointRouteBuilder MapTextChecksApi(this IEndpointRouteBuilder routes)
    {
        // Loads and checks the residents' texts now, so that a broken template stops the service at start rather
        // than failing the first message that uses it.
        _ = TextCatalog.Default;
        routes.MapApiGroup("/v1/notifications/text-checks", "Text checks")
            .MapPost("", CheckText)
            .WithName("CheckText")
            .WithSummary("Check how plainly a text reads: in Dutch the Flesch–Douma score, the B1 verdict and officialese with plain alternatives; in other languages word and sentence counts");
        return routes;
    }

    internal static Ok<TextCheckResponse> CheckText(TextCheckRequest request)
    {
        var result = TextCheck.Check(request.Text!, request.Language!);
        return TypedResults.Ok(new TextCheckResponse(
            result.Language,
            result.Counts.Words,
            result.Counts.Sentences,
            result.Score is { } score ? Math.Round(score, 1) : null,
            Readability.B1MinimumScore,
            result.MeetsB1,
            result.MeetsB1 switch { true => ReadabilityVerdicts.B1, false => ReadabilityVerdicts.HarderThanB1, null => ReadabilityVerdicts.NotScored },
            [.. result.Officialese.Select(found => new OfficialeseFound(found.Found, found.Index, found.Alternative))]));
    }
}

public sealed record TextCheckRequest([StringLength(TextCheckRequest.MaxTextLength)] string? Text, [Vocabulary(typeof(Languages))] string? Language) : IValidatableRequest
{
    public const int MaxTextLength = 20_000;

    public void Validate(ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Required("text", Text))
        {
            errors.MaxLength("text", Text, MaxTextLength);
        }

        errors.OneOf("language", Language, Languages.All);
    }
}

/// <summary>Whether a text reads at B1: only Dutch texts are scored.</summary>
public static class ReadabilityVerdicts
{
    public const string B1 = "b1";
    public const string HarderThanB1 = "harder-than-b1";
    public const string NotScored = "not-scored";

    public static readonly IReadOnlyList<string> All = [B1, HarderThanB1, NotScored];
}

/// <param name="Score">The Flesch–Douma score, Dutch only; null for other languages.</param>
/// <param name="MinimumScore">The score a text needs to read at B1.</param>
/// <param name="MeetsB1">Whether the score reaches <paramref name="MinimumScore"/>; null when not scored.</param>
/// <param name="Verdict"><c>b1</c>, <c>harder-than-b1</c> or <c>not-scored</c>.</param>
/// <param name="Officialese">Officialese found in a Dutch text, with plain alternatives.</param>
public sealed record TextCheckResponse(
    [Vocabulary(typeof(Languages))] string Language,
    int Words,
    int Sentences,
    double? Score,
    double MinimumScore,
    bool? MeetsB1,
    [Vocabulary(typeof(ReadabilityVerdicts))] string Verdict,
    IReadOnlyList<OfficialeseFound> Officialese);

/// <param name="Text">The words as they appear in the text.</param>
/// <param name="Index">Where they start (a character offset).</param>
/// <param name="Alternative">What to write instead.</param>
public sealed record OfficialeseFound(string Text, int Index, string Alternative);
