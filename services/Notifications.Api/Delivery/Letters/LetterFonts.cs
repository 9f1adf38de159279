using System.Reflection;
using PdfSharp.Fonts;

namespace Participatie.Notifications.Delivery.Letters;

/// <summary>
/// The fonts letters are printed in, embedded in this assembly: PDFsharp finds no system fonts on Linux, and a print
/// batch must look the same on every machine. DejaVu Sans (Bitstream Vera licence, free) covers the Latin scripts of
/// nl, en, tr, pl, so, the Cyrillic of uk and the Arabic presentation forms; Abyssinica SIL (SIL Open Font Licence)
/// covers the Ethiopic script of Tigrinya, which DejaVu lacks. Their licences lie beside them in Fonts/.
/// </summary>
public sealed class LetterFonts : IFontResolver
{
    public const string Sans = "DejaVu Sans";
    public const string Ethiopic = "Abyssinica SIL";

    private static readonly Lock Gate = new();

    private static readonly Dictionary<string, string> Files = new(StringComparer.Ordinal)
    {
        ["DejaVuSans"] = "DejaVuSans.ttf",
        ["DejaVuSans-Bold"] = "DejaVuSans-Bold.ttf",
        ["AbyssinicaSIL"] = "AbyssinicaSIL-Regular.ttf",
    };

    /// <summary>
    /// Installs the resolver once per process (PDFsharp keeps one for all documents and refuses a change once it was
    /// used). One installed already is kept: the residents service's export fonts resolve these same faces.
    /// </summary>
    public static void Install()
    {
        lock (Gate)
        {
            GlobalFontSettings.FontResolver ??= new LetterFonts();
        }
    }

    /// <summary>The family a letter in this language is set in: one family per letter, which has every glyph it needs.</summary>
    public static string FamilyFor(string language) => language == "ti" ? Ethiopic : Sans;

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        familyName switch
        {
            // Abyssinica has no bold face: PDFsharp emboldens it (simulated), as it does for italics everywhere.
            Ethiopic => new FontResolverInfo("AbyssinicaSIL", bold, italic),
            _ => bold ? new FontResolverInfo("DejaVuSans-Bold", false, italic) : new FontResolverInfo("DejaVuSans", false, italic),
        };

    public byte[]? GetFont(string faceName)
    {
        if (!Files.TryGetValue(faceName, out var file))
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
