using System.Globalization;
using System.Text;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Participatie.Notifications.Delivery.Letters;

/// <summary>One letter of a batch: the notification and the address the residents service disclosed for it.</summary>
/// <see cref="ResidentId"/> is null for a letter to a home rather than to a registered resident (the draagvlakmeting's).
public sealed record LetterToPrint(
    Guid NotificationId, Guid? ResidentId, string Kind, string Language, string Title, string Body, PostalAddress Address);

/// <summary>A batch as the print shop gets it: one PDF and a manifest that names each letter's first page.</summary>
public sealed record RenderedBatch(byte[] Pdf, string Manifest, int PageCount, IReadOnlyDictionary<Guid, int> FirstPages);

/// <summary>
/// Lays out a partner's letters as one print-ready PDF, A4, each letter starting on a new page. The address sits in the
/// window of a Dutch window envelope as NEN 1026 (the Dutch standard letter) places it: 22 mm from the left edge and
/// 50 mm from the top, 85 × 30 mm, which shows through the left-hand window (90 × 45 mm, 20 mm from the left and 15 mm
/// from the bottom) of an EA5/6 envelope (110 × 220 mm) holding the sheet folded in three. Above it a small line names
/// the partner as sender; the partner's name heads the letter, then the date, the title and the body.
/// </summary>
public static class LetterRenderer
{
    private const double PointsPerMillimetre = 72 / 25.4;
    private static readonly double PageWidth = Mm(210);
    private static readonly double PageHeight = Mm(297);
    private static readonly double Left = Mm(22);
    private static readonly double Right = PageWidth - Mm(22);
    private static readonly double BodyBottom = PageHeight - Mm(25);

    public const string ManifestHeader = "notification_id,resident_id,page,postcode,kind,language";

    public static RenderedBatch Render(string senderName, DateOnly printDate, IReadOnlyList<LetterToPrint> letters)
    {
        ArgumentNullException.ThrowIfNull(letters);
        LetterFonts.Install();
        using var document = new PdfDocument();
        document.Info.Title = $"Letters of {senderName}, {printDate:yyyy-MM-dd}";
        document.Info.Creator = "Participatie";
        var firstPages = new Dictionary<Guid, int>();
        var manifest = new StringBuilder(ManifestHeader).Append('\n');
        foreach (var letter in letters)
        {
            var firstPage = document.PageCount + 1;
            firstPages[letter.NotificationId] = firstPage;
            DrawLetter(document, senderName, printDate, letter);
            // No names in the manifest: the print shop matches pages to envelopes, it need not know who lives there.
            manifest.Append(CultureInfo.InvariantCulture, $"{letter.NotificationId},{letter.ResidentId},{firstPage},{Csv(letter.Address.Postcode)},{Csv(letter.Kind)},{Csv(letter.Language)}\n");
        }

        // Read before saving: a saved document may not be touched again.
        var pageCount = document.PageCount;
        using var pdf = new MemoryStream();
        document.Save(pdf, closeStream: false);
        return new RenderedBatch(pdf.ToArray(), manifest.ToString(), pageCount, firstPages);
    }

    private static void DrawLetter(PdfDocument document, string senderName, DateOnly printDate, LetterToPrint letter)
    {
        var family = LetterFonts.FamilyFor(letter.Language);
        var rightToLeft = letter.Language == "ar";
        var regular = new XFont(family, 10.5, XFontStyleEx.Regular);
        var bold = new XFont(family, 12, XFontStyleEx.Bold);
        var small = new XFont(LetterFonts.Sans, 7, XFontStyleEx.Regular);
        var address = new XFont(LetterFonts.Sans, 10, XFontStyleEx.Regular);
        var heading = new XFont(LetterFonts.Sans, 14, XFontStyleEx.Bold);

        var page = NewPage(document);
        var graphics = XGraphics.FromPdfPage(page);
        try
        {
            graphics.DrawString(senderName, heading, XBrushes.Black, Left, Mm(20), XStringFormats.TopLeft);

            // The return line, just above the window, and the address in it: Dutch addresses, written left to right.
            graphics.DrawString(senderName, small, XBrushes.Black, Left, Mm(45), XStringFormats.TopLeft);
            var y = Mm(50);
            foreach (var line in AddressLines(letter.Address))
            {
                graphics.DrawString(line, address, XBrushes.Black, Left, y, XStringFormats.TopLeft);
                y += address.GetHeight() * 1.15;
            }

            y = Mm(95);
            y = DrawParagraph(graphics, FormatDate(printDate, letter.Language), regular, y, rightToLeft);
            y += Mm(6);
            y = DrawParagraph(graphics, letter.Title, bold, y, rightToLeft);
            y += Mm(3);
            foreach (var paragraph in letter.Body.Split('\n'))
            {
                foreach (var line in Wrap(paragraph, regular, Right - Left, rightToLeft))
                {
                    if (y + regular.GetHeight() > BodyBottom)
                    {
                        DrawReference(graphics, small, letter.NotificationId);
                        graphics.Dispose();
                        page = NewPage(document);
                        graphics = XGraphics.FromPdfPage(page);
                        y = Mm(25);
                    }

                    DrawLine(graphics, line, regular, y, rightToLeft);
                    y += regular.GetHeight() * 1.3;
                }

                y += Mm(2);
            }

            DrawReference(graphics, small, letter.NotificationId);
        }
        finally
        {
            graphics.Dispose();
        }
    }

    private static PdfPage NewPage(PdfDocument document)
    {
        var page = document.AddPage();
        page.Size = PageSize.A4;
        return page;
    }

    /// <summary>The notification id at the foot of every page: what a returned letter is traced by, without personal data.</summary>
    private static void DrawReference(XGraphics graphics, XFont font, Guid notificationId) =>
        graphics.DrawString($"Ref. {notificationId}", font, XBrushes.Gray, Left, PageHeight - Mm(12), XStringFormats.TopLeft);

    private static double DrawParagraph(XGraphics graphics, string text, XFont font, double y, bool rightToLeft)
    {
        foreach (var line in Wrap(text, font, Right - Left, rightToLeft))
        {
            DrawLine(graphics, line, font, y, rightToLeft);
            y += font.GetHeight() * 1.3;
        }

        return y;
    }

    private static void DrawLine(XGraphics graphics, string line, XFont font, double y, bool rightToLeft)
    {
        if (rightToLeft)
        {
            var visual = ArabicShaping.ToVisualLine(line);
            graphics.DrawString(visual, font, XBrushes.Black, Right - graphics.MeasureString(visual, font).Width, y, XStringFormats.TopLeft);
        }
        else
        {
            graphics.DrawString(line, font, XBrushes.Black, Left, y, XStringFormats.TopLeft);
        }
    }

    /// <summary>Breaks a paragraph into lines that fit the width, at spaces (a word longer than a line is cut).</summary>
    private static List<string> Wrap(string paragraph, XFont font, double width, bool rightToLeft)
    {
        using var measure = XGraphics.CreateMeasureContext(new XSize(PageWidth, PageHeight), XGraphicsUnit.Point, XPageDirection.Downwards);
        double Width(string text) => measure.MeasureString(rightToLeft ? ArabicShaping.Shape(text) : text, font).Width;
        var lines = new List<string>();
        var current = new StringBuilder();
        foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : $"{current} {word}";
            if (Width(candidate) <= width)
            {
                current.Clear().Append(candidate);
                continue;
            }

            if (current.Length > 0)
            {
                lines.Add(current.ToString());
                current.Clear();
            }

            var rest = word;
            while (Width(rest) > width && rest.Length > 1)
            {
                var fits = rest.Length - 1;
                while (fits > 1 && Width(rest[..fits]) > width)
                {
                    fits--;
                }

                lines.Add(rest[..fits]);
                rest = rest[fits..];
            }

            current.Append(rest);
        }

        lines.Add(current.ToString());
        return lines;
    }

    /// <summary>As PostNL wants it: name, street and number, then postcode and city (the city in capitals, two spaces before it).</summary>
    public static IReadOnlyList<string> AddressLines(PostalAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var number = address.HouseNumber.ToString(CultureInfo.InvariantCulture)
            + (string.IsNullOrWhiteSpace(address.HouseNumberSuffix) ? string.Empty : "-" + address.HouseNumberSuffix.Trim());
        // A home known by postcode and number only (a letter to a home) has no street or city: PostNL sorts on those two.
        return
        [
            address.Name,
            string.IsNullOrWhiteSpace(address.Street) ? $"Huisnummer {number}" : $"{address.Street} {number}",
            string.IsNullOrWhiteSpace(address.City) ? address.Postcode : $"{address.Postcode}  {address.City.ToUpperInvariant()}",
        ];
    }

    /// <summary>The date as the resident reads it; a language .NET has no calendar names for (so, ti) gets the Dutch date.</summary>
    private static string FormatDate(DateOnly date, string language)
    {
        CultureInfo culture;
        try
        {
            culture = language is "so" or "ti" ? CultureInfo.GetCultureInfo("nl-NL") : CultureInfo.GetCultureInfo(language);
        }
        catch (CultureNotFoundException)
        {
            culture = CultureInfo.GetCultureInfo("nl-NL");
        }

        // Gregorian months in every language (Arabic's default calendar is not the one the letter is dated in).
        if (culture.Calendar is not GregorianCalendar)
        {
            culture = (CultureInfo)culture.Clone();
            culture.DateTimeFormat.Calendar = new GregorianCalendar();
        }

        return date.ToString("d MMMM yyyy", culture);
    }

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static double Mm(double millimetres) => millimetres * PointsPerMillimetre;
}
