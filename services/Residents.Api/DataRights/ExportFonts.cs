using System.Reflection;
using PdfSharp.Fonts;

namespace Participatie.Residents.DataRights;

/// <summary>
/// The font an export's PDF is set in, embedded in this assembly because PDFsharp finds no system fonts on Linux:
/// DejaVu Sans (Bitstream Vera licence, beside it in Fonts/), which covers the Latin, Cyrillic and Arabic letters of
/// residents' names. The notifications service embeds the same family under the same name.
/// </summary>
public sealed class ExportFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";

    private static readonly Lock Gate = new();

    /// <summary>
    /// PDFsharp keeps one resolver per process. Where another already resolves <see cref="Family"/> (the notifications
    /// service's, when both run in one test process) it is kept.
    /// </summary>
    public static void Install()
    {
        lock (Gate)
        {
            GlobalFontSettings.FontResolver ??= new ExportFonts();
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? "DejaVuSans-Bold" : "DejaVuSans", false, italic);

    public byte[]? GetFont(string faceName)
    {
        var file = faceName switch
        {
            "DejaVuSans" => "DejaVuSans.ttf",
            "DejaVuSans-Bold" => "DejaVuSans-Bold.ttf",
            _ => null,
        };
        if (file is null)
        {
            return null;
        }

        var assembly = Assembly.GetExecutingAssembly();
        var resource = assembly.GetManifestResourceNames().Single(name => name.EndsWith("." + file, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
