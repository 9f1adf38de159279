using System.Reflection;
using PdfSharp.Fonts;

namespace Participatie.Residents.DataRights;

/// <summary>
/// The fonts an export's PDF is set in, embedded in this assembly because PDFsharp finds no system fonts on Linux:
/// DejaVu Sans, which covers the Latin, Cyrillic and Arabic letters of residents' names, and Abyssinica SIL for
/// Tigrinya. They are the notifications service's letter fonts (the same files, licences beside them there), resolved
/// under the same names, because PDFsharp keeps one resolver per process and refuses to change it once used: whichever
/// of the two is installed first serves both where they share a process (the unit tests).
/// </summary>
public sealed class ExportFonts : IFontResolver
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
    public static void Install()
    {
        lock (Gate)
        {
            GlobalFontSettings.FontResolver ??= new ExportFonts();
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

        var assembly = Assembly.GetExecutingAssembly();
        var resource = assembly.GetManifestResourceNames().Single(name => name.EndsWith("." + file, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
