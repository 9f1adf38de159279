using Participatie.Contracts;
using Participatie.Notifications.Delivery;
using Participatie.Notifications.Delivery.Letters;
using Participatie.Notifications.Texts;
using Participatie.Residents.DataRights;
using PdfSharp.Pdf.IO;

namespace Participatie.UnitTests;

public class ExportPdfTests
{
    private static readonly ExportRecord Export = new()
    {
        Id = Guid.NewGuid(),
        ResidentId = Guid.NewGuid(),
        RequestedBy = "resident",
        RequestedAt = new DateTimeOffset(2026, 6, 2, 9, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public void The_opening_words_are_plain_dutch()
    {
        var check = TextCheck.Check(ExportPdf.Introduction(Export.RequestedAt), "nl");

        Assert.True(check.MeetsB1, $"Flesch-Douma {check.Score}");
        Assert.Empty(check.Officialese);
        Assert.Contains("2 juni 2026", ExportPdf.Introduction(Export.RequestedAt), StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_export_with_names_in_any_script_runs_over_pages_and_prints_beside_letters()
    {
        var reactions = string.Join(",", Enumerable.Range(1, 120).Select(number =>
            $$"""{"text":"Reactie {{number}}: meer groen en bankjes op het plein, en een speeltuin voor de kinderen.","status":"received"}"""));
        ExportPart Part(string service, string data) => new() { Service = service, Data = data, ExportedAt = Export.RequestedAt, ReceivedAt = Export.RequestedAt };
        IReadOnlyList<ExportPart> parts =
        [
            Part(DataHoldingServices.Residents, """{"personalData":[{"fullName":"Олена Коваленко / فاطمة الزهراء","birthYear":1980,"registeredAt":"2026-01-05T10:00:00+00:00"}],"accessLog":[]}"""),
            Part(DataHoldingServices.Consultations, $$"""{"reactions":[{{reactions}}]}"""),
        ];

        var pdf = ExportPdf.Render(Export, parts);
        // Letters are printed in the same process afterwards: the two font resolvers get along.
        var letters = LetterRenderer.Render("Woonstichting", new DateOnly(2026, 6, 2), [new LetterToPrint(
            Guid.NewGuid(), Guid.NewGuid(), "consultation-opened", "nl", "Titel", "Tekst",
            new PostalAddress { Name = "Bewoner", Street = "Kerkstraat", HouseNumber = 1, Postcode = "1017 GC", City = "Amsterdam" })]);

        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        Assert.True(document.PageCount >= 3, $"{document.PageCount} pages");
        Assert.Equal(1, letters.PageCount);
    }
}
