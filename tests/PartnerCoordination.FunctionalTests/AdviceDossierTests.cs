using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Participatie.BuildingBlocks.Time;
using Participatie.PartnerCoordination.Domain;
using Participatie.Testing;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Content;
using PdfSharp.Pdf.Content.Objects;
using PdfSharp.Pdf.IO;
using PdfSharp.Pdf.Advanced;

namespace Participatie.PartnerCoordination.FunctionalTests;

/// <summary>The Overlegwet dossier of a request for advice as PDF, read back as text: the steps, their dates and the terms.</summary>
[Collection(PartnerCoordinationCollection.Name)]
public sealed partial class AdviceDossierTests(PartnerCoordinationService service) : IAsyncLifetime
{
    private static readonly IReadOnlySet<DateOnly> NoneDeclared = new HashSet<DateOnly>();

    private TrajectoryCast _cast = null!;

    public async ValueTask InitializeAsync() => _cast = await TrajectoryCast.CreateAsync(service);

    public ValueTask DisposeAsync()
    {
        _cast.Dispose();
        return ValueTask.CompletedTask;
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_dossier_holds_request_advice_decision_reasoned_answer_and_their_dates_for_the_trajectorys_members_only()
    {
        var requests = _cast.Path("/advice-requests");
        var today = AmsterdamClock.Today(TimeProvider.System);
        var (sentOn, receivedOn) = (today.AddDays(-5), today.AddDays(-2));
        var id = (await _cast.Lead.PostCreatedAsync(requests, new
        {
            tenantsOrganisationPartnerId = _cast.Observer.Id,
            subject = "Renovatieplan Kolenkitbuurt blok 3",
            proposal = "Isolatie, nieuwe kozijnen en een huurverhoging van 35 euro per maand.",
            sentOn,
        })).GetProperty("id").GetGuid();
        await (await _cast.Observer.PutAsync($"{requests}/{id}/advice", new { text = "Geen huurverhoging vóór de isolatie klaar is.", receivedOn }))
            .ReadJsonAsync(HttpStatusCode.OK);
        await (await _cast.Lead.PutAsync($"{requests}/{id}/decision", new { followsAdvice = false })).ReadJsonAsync(HttpStatusCode.OK);
        var answered = await (await _cast.Lead.PutAsync($"{requests}/{id}/reasoned-answer", new { text = "De isolatie volgt in 2028; de huur stijgt dan pas." }))
            .ReadJsonAsync(HttpStatusCode.OK);

        using var response = await _cast.Observer.GetAsync($"{requests}/{id}/dossier");
        var pdf = await response.Content.ReadAsByteArrayAsync(Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"overlegwet-dossier-{id}.pdf", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("%PDF-"u8.ToArray(), pdf[..5]);
        var text = PdfText(pdf);
        Assert.Contains("Renovatieplan Kolenkitbuurt blok 3", text, StringComparison.Ordinal);
        Assert.Contains("huurverhoging van 35 euro per maand", text, StringComparison.Ordinal);
        Assert.Contains("Geen huurverhoging vóór de isolatie klaar is.", text, StringComparison.Ordinal);
        Assert.Contains("De isolatie volgt in 2028; de huur stijgt dan pas.", text, StringComparison.Ordinal);
        Assert.Contains("Wijkt af van het advies", text, StringComparison.Ordinal);
        // Each date as the API has it: sent, advice due and received, decided, answer due and given, and when the landlord may go ahead.
        Assert.Contains($"Verstuurd op: {Dutch(sentOn)} ({Day(sentOn)})", text, StringComparison.Ordinal);
        Assert.Contains($"Ontvangen op: {Dutch(receivedOn)} ({Day(receivedOn)})", text, StringComparison.Ordinal);
        Assert.Contains($"Advies uiterlijk op: {Dutch(AdviceDeadlines.DefaultAdviceDue(sentOn, NoneDeclared))}", text, StringComparison.Ordinal);
        var answerDueOn = answered.GetProperty("answerDueOn").GetString()!;
        Assert.Equal(Day(AdviceDeadlines.ReasonedAnswerDue(receivedOn, NoneDeclared)), answerDueOn);
        Assert.Contains($"({answerDueOn}) (14 dagen na ontvangst van het advies", text, StringComparison.Ordinal);
        Assert.Contains($"Gegeven op: {Dutch(today)} ({Day(today)})", text, StringComparison.Ordinal);
        Assert.Contains($"uitvoeren vanaf: {Dutch(DateOnly.Parse(answered.GetProperty("mayProceedOn").GetString()!, CultureInfo.InvariantCulture))}", text, StringComparison.Ordinal);
        Assert.Contains("Stand op", text, StringComparison.Ordinal);
        Assert.Contains("afgerond", text, StringComparison.Ordinal);

        // Every member reads it; to a partner outside the trajectory neither the request nor its dossier exists.
        Assert.Equal(HttpStatusCode.OK, (await _cast.Contributor.GetAsync($"{requests}/{id}/dossier")).StatusCode);
        await (await _cast.Outsider.GetAsync($"{requests}/{id}/dossier")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _cast.Lead.GetAsync($"{requests}/{Guid.NewGuid()}/dossier")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private static string Dutch(DateOnly day) => day.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("nl-NL"));

    /// <summary>
    /// The text a PDF shows, line by line: each string the content streams draw, its glyph ids turned back into letters
    /// through the font's ToUnicode map, as a PDF reader's copy and search do.
    /// </summary>
    private static string PdfText(byte[] pdf)
    {
        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        var text = new StringBuilder();
        foreach (var page in document.Pages)
        {
            var fonts = Entry(page.Resources, "/Font");
            // A font with a ToUnicode map draws two-byte glyph ids; one without is a simple WinAnsi font, one byte a letter.
            var maps = fonts.Elements.Keys.ToDictionary(
                name => name,
                name => Entry(fonts, name).Elements.ContainsKey("/ToUnicode")
                    ? ToUnicode(Entry(Entry(fonts, name), "/ToUnicode").Stream.UnfilteredValue)
                    : null,
                StringComparer.Ordinal);
            var font = string.Empty;
            foreach (var operation in ContentReader.ReadContent(page).OfType<COperator>())
            {
                if (operation.OpCode.Name == "Tf")
                {
                    font = ((CName)operation.Operands[0]).Name;
                }
                else if (operation.OpCode.Name is "Tj" or "TJ")
                {
                    var strings = operation.Operands[0] is CArray array ? array.OfType<CString>() : operation.Operands.OfType<CString>();
                    foreach (var drawn in strings)
                    {
                        if (maps[font] is not { } glyphs)
                        {
                            // WinAnsi is Latin-1 but for a few signs at 0x80-0x9F that these texts do not use.
                            text.Append(drawn.Value);
                            continue;
                        }

                        for (var i = 0; i + 1 < drawn.Value.Length; i += 2)
                        {
                            text.Append(glyphs.GetValueOrDefault((drawn.Value[i] << 8) | drawn.Value[i + 1], "\uFFFD"));
                        }
                    }

                    text.Append('\n');
                }
            }
        }

        return text.ToString();
    }

    private static PdfDictionary Entry(PdfDictionary dictionary, string key) =>
        (dictionary.Elements[key] is PdfReference reference ? reference.Value : dictionary.Elements[key]) as PdfDictionary
        ?? throw new InvalidOperationException($"No dictionary {key} in {dictionary}");

    /// <summary>A ToUnicode CMap's bfchar and bfrange entries: glyph id to text.</summary>
    private static Dictionary<int, string> ToUnicode(byte[] cmap)
    {
        var source = Encoding.ASCII.GetString(cmap);
        static int Hex(string value) => int.Parse(value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        static string Letters(string hex) => Encoding.BigEndianUnicode.GetString(Convert.FromHexString(hex));
        var map = new Dictionary<int, string>();
        foreach (Match block in BfRanges().Matches(source))
        {
            foreach (Match entry in ThreeHex().Matches(block.Groups[1].Value))
            {
                var (first, last, start) = (Hex(entry.Groups[1].Value), Hex(entry.Groups[2].Value), Hex(entry.Groups[3].Value));
                for (var glyph = first; glyph <= last; glyph++)
                {
                    map[glyph] = char.ConvertFromUtf32(start + glyph - first);
                }
            }
        }

        foreach (Match block in BfChars().Matches(source))
        {
            foreach (Match entry in TwoHex().Matches(block.Groups[1].Value))
            {
                map[Hex(entry.Groups[1].Value)] = Letters(entry.Groups[2].Value);
            }
        }

        return map;
    }

    [GeneratedRegex(@"beginbfrange(.*?)endbfrange", RegexOptions.Singleline)]
    private static partial Regex BfRanges();

    [GeneratedRegex(@"beginbfchar(.*?)endbfchar", RegexOptions.Singleline)]
    private static partial Regex BfChars();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex ThreeHex();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")]
    private static partial Regex TwoHex();
}
