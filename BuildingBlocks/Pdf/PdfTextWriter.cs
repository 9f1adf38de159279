using System.Text;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Participatie.BuildingBlocks.Pdf;

/// <summary>
/// Writes lines of text top to bottom on A4 pages with margins of 20 mm, wrapping paragraphs at spaces and starting a
/// new page when one is full: all a readable export needs, without a layout engine. Install <see cref="PdfFonts"/> first.
/// </summary>
public sealed class PdfTextWriter : IDisposable
{
    private const double PointsPerMillimetre = 72 / 25.4;
    private static readonly double PageWidth = Mm(210);
    private static readonly double PageHeight = Mm(297);
    private static readonly double Left = Mm(20);
    private static readonly double Right = PageWidth - Mm(20);
    private static readonly double Bottom = PageHeight - Mm(20);

    private readonly PdfDocument _document;
    private XGraphics _graphics;
    private double _y;

    public PdfTextWriter(PdfDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        _document = document;
        _graphics = NewPage();
    }

    public XFont Heading { get; } = new(PdfFonts.Family, 16, XFontStyleEx.Bold);

    public XFont SubHeading { get; } = new(PdfFonts.Family, 13, XFontStyleEx.Bold);

    public XFont Bold { get; } = new(PdfFonts.Family, 10.5, XFontStyleEx.Bold);

    public XFont Regular { get; } = new(PdfFonts.Family, 9.5, XFontStyleEx.Regular);

    /// <summary>A document written by <paramref name="write"/>, saved as PDF bytes.</summary>
    public static byte[] Render(string title, Action<PdfTextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var document = new PdfDocument();
        document.Info.Title = title;
        document.Info.Creator = "Participatie";
        using (var writer = new PdfTextWriter(document))
        {
            write(writer);
        }

        using var pdf = new MemoryStream();
        document.Save(pdf, closeStream: false);
        return pdf.ToArray();
    }

    public void Space(double millimetres) => _y += Mm(millimetres);

    public void Paragraph(string text, int depth = 0, XFont? font = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        font ??= Regular;
        foreach (var line in Wrap(text, font, Right - Left - Indent(depth)))
        {
            Line(line, font, depth);
        }
    }

    public void Line(string text, XFont font, int depth = 0)
    {
        ArgumentNullException.ThrowIfNull(font);
        if (_y + font.GetHeight() > Bottom)
        {
            _graphics.Dispose();
            _graphics = NewPage();
        }

        _graphics.DrawString(text, font, XBrushes.Black, Left + Indent(depth), _y, XStringFormats.TopLeft);
        _y += font.GetHeight() * 1.25;
    }

    public void Dispose() => _graphics.Dispose();

    private static double Mm(double millimetres) => millimetres * PointsPerMillimetre;

    private static double Indent(int depth) => Mm(5) * depth;

    private XGraphics NewPage()
    {
        var page = _document.AddPage();
        page.Size = PageSize.A4;
        _y = Mm(20);
        return XGraphics.FromPdfPage(page);
    }

    /// <summary>Breaks text into lines that fit the width, at spaces (a word longer than a line is cut).</summary>
    private List<string> Wrap(string text, XFont font, double width)
    {
        double Width(string candidate) => _graphics.MeasureString(candidate, font).Width;
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
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
        }

        return lines;
    }
}
