using System.Reflection;
using PdfSharp.Fonts;

namespace Participatie.BuildingBlocks.Pdf;

/// <summary>
/// The fonts the platform's readable PDFs (a resident's data export, an Overlegwet dossier) are set in: DejaVu Sans,
/// which covers the Latin, Cyrillic and Arabic letters of names and texts, and Abyssinica SIL for Tigrinya. PDFsharp
/// finds no system fonts on Linux, so each service that prints embeds the notifications service's letter fonts (the same
/// files, licences beside them there) and names its assembly here. They resolve under the letters' names because
/// PDFsharp keeps one resolver per process and refuses to change it once used: whichever is installed first serves
/// both where they share a process (the unit tests).
/// </summary>
public sealed class PdfFonts(Assembly fontAssembly) : IFontResolver
{
    public const string Family = "DejaVu Sans";
    public const string Ethiopic = "Abyssinica SIL";

    private static readonly Lock Gate = new();

    private static readonly Dictionary<string, string> Files = new(StringComparer.Ordinal)
    {
        ["DejaVuSans"] = "DejaVuSans.ttf",
        ["DejaVuSans-Bold"] = "DejaVuSans-Bold.ttf",
        ["AbyssinicaSIL"] = "AbyssinicaSIL-Regular.ttf",
    };

    /// <summary>Installs the resolver unless one is installed already (the letters', which resolves the same faces).</summary>
    /// <param name="fontAssembly">The assembly that embeds the font files.</param>
    public static void Install(Assembly fontAssembly)
    {
        lock (Gate)
        {
            GlobalFontSettings.FontResolver ??= new PdfFonts(fontAssembly);
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        familyName switch
        {
            Ethiopic => new FontResolverInfo("AbyssinicaSIL", bold, italic),
            _ => new FontResolverInfo(bold ? "DejaVuSans-Bold" : "DejaVuSans", false, italic),
        };

    public byte[]? GetFont(string faceName)
    {
        if (!Files.TryGetValue(faceName, out var file))
        {
            return null;
        }

        var resource = fontAssembly.GetManifestResourceNames().Single(name => name.EndsWith("." + file, StringComparison.Ordinal));
        using var stream = fontAssembly.GetManifestResourceStream(resource)!;
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
