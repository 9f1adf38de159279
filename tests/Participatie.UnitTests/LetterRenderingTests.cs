using Participatie.Notifications.Delivery;
using Participatie.Notifications.Delivery.Letters;
using PdfSharp.Pdf.IO;

namespace Participatie.UnitTests;

public sealed class LetterRenderingTests
{
    private static readonly PostalAddress Address = new()
    {
        Name = "A. Bewoner",
        Street = "Kerkstraat",
        HouseNumber = 7,
        HouseNumberSuffix = "a",
        Postcode = "1017 GC",
        City = "Amsterdam",
    };

    [Fact]
    public void Arabic_letters_take_their_joined_forms_and_lam_alef_its_ligature()
    {
        // س initial, لا the final lam-alef ligature (it joins the seen before it), م isolated (alef does not join onward).
        Assert.Equal("\uFEB3\uFEFC\uFEE1", ArabicShaping.Shape("سلام"));
        // ب initial, ي medial, ت final.
        Assert.Equal("\uFE91\uFEF4\uFE96", ArabicShaping.Shape("بيت"));
        // Vowel marks are left out rather than drawn as loose glyphs.
        Assert.Equal(ArabicShaping.Shape("بيت"), ArabicShaping.Shape("بَيْت"));
    }

    [Fact]
    public void A_right_to_left_line_is_drawn_in_visual_order_with_numbers_and_Latin_words_kept_as_written()
    {
        var visual = ArabicShaping.ToVisualLine("بيت 12 Plein");

        Assert.Equal("Plein 12 \uFE96\uFEF4\uFE91", visual);
    }

    [Fact]
    public void The_address_is_written_as_PostNL_wants_it()
    {
        Assert.Equal(["A. Bewoner", "Kerkstraat 7-a", "1017 GC  AMSTERDAM"], LetterRenderer.AddressLines(Address));
    }

    [Fact]
    public void A_batch_renders_one_A4_page_or_more_per_letter_in_every_script_and_a_manifest_without_names()
    {
        var longBody = string.Join('\n', Enumerable.Repeat(string.Join(' ', Enumerable.Repeat("Wij vragen uw mening over het nieuwe plein in de buurt.", 10)), 14));
        LetterToPrint Letter(string language, string title, string body) =>
            new(Guid.NewGuid(), Guid.NewGuid(), "consultation-opened", language, title, body, Address);
        var letters = new[]
        {
            Letter("nl", "Uw mening gevraagd: het plein", longBody),
            Letter("ar", "نطلب رأيك: الساحة", "شاركنا رأيك في الساحة الجديدة قبل 12 مايو."),
            Letter("uk", "Ваша думка", "Розкажіть нам, що ви думаєте."),
            Letter("ti", "ርእይቶኹም ንሓትት", "ብዛዕባ እቲ ሓድሽ ጎልጎል ርእይቶኹም ሃቡና።"),
            Letter("tr", "Görüşünüz", "Yeni meydan hakkında ne düşünüyorsunuz?"),
        };

        var batch = LetterRenderer.Render("Woonstichting Voorbeeld", new DateOnly(2026, 6, 2), letters);

        using var pdf = PdfReader.Open(new MemoryStream(batch.Pdf), PdfDocumentOpenMode.Import);
        Assert.Equal(batch.PageCount, pdf.PageCount);
        Assert.True(pdf.PageCount >= 6, $"The long letter takes more than one page: {pdf.PageCount} pages in all.");
        var firstPages = letters.Select(letter => batch.FirstPages[letter.NotificationId]).ToList();
        Assert.Equal(1, firstPages[0]);
        Assert.Equal([firstPages[1], firstPages[1] + 1, firstPages[1] + 2, firstPages[1] + 3], firstPages[1..]);
        var rows = batch.Manifest.TrimEnd('\n').Split('\n');
        Assert.Equal(LetterRenderer.ManifestHeader, rows[0]);
        Assert.Equal($"{letters[1].NotificationId},{letters[1].ResidentId},{firstPages[1]},1017 GC,consultation-opened,ar", rows[2]);
        Assert.DoesNotContain("Bewoner", batch.Manifest, StringComparison.Ordinal);
        Assert.DoesNotContain("Kerkstraat", batch.Manifest, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2026, 6, 2, 15, 59, null, false)]
    [InlineData(2026, 6, 2, 16, 0, null, true)]
    [InlineData(2026, 6, 2, 23, 30, "2026-06-01", true)]
    [InlineData(2026, 6, 2, 16, 5, "2026-06-02", false)]
    [InlineData(2026, 6, 3, 0, 30, "2026-06-02", false)]
    // Winter time: 16:00 in Amsterdam is 15:00 UTC.
    [InlineData(2026, 12, 1, 16, 0, "2026-11-30", true)]
    public void The_days_batch_is_due_from_the_hour_in_Amsterdam_once_a_day(
        int year, int month, int day, int hour, int minute, string? lastCut, bool due)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        var now = new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();

        Assert.Equal(due, DailyLetterBatchJob.IsDue(now, new TimeOnly(16, 0), lastCut is null ? null : DateOnly.Parse(lastCut, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
