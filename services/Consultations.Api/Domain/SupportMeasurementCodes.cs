using System.Security.Cryptography;
using System.Text;

namespace Participatie.Consultations.Domain;

/// <summary>
/// The personal voting code each home gets by letter. Random, typed by hand (no 0/O or 1/I to confuse), shown to the
/// corporation once; only a hash is stored. A plain SHA-256 suffices because the codes are random, not chosen: 60
/// bits make guessing one from its hash, or through the API, hopeless within a measurement's few weeks. The
/// measurement's id goes into the hash, so a code is worth nothing in any other measurement.
/// </summary>
public static class SupportMeasurementCodes
{
    public const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    public const int Length = 12;
    private const int GroupLength = 4;

    /// <summary>A new code, in groups for reading aloud and typing: "K7QM-3XRD-9HTW".</summary>
    public static string New()
    {
        var characters = RandomNumberGenerator.GetItems<char>(Alphabet, Length);
        return string.Join('-', characters.Chunk(GroupLength).Select(group => new string(group)));
    }

    /// <summary>As many codes as homes, no two alike (so every code names one home).</summary>
    public static IReadOnlyList<string> NewDistinct(int count)
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        while (codes.Count < count)
        {
            codes.Add(New());
        }

        return [.. codes];
    }

    /// <summary>The code as typed, without spaces or dashes and in capitals.</summary>
    public static string Normalise(string code) =>
        string.Concat(code.Where(character => character is not (' ' or '-'))).ToUpperInvariant();

    public static byte[] Hash(Guid measurementId, string code) =>
        SHA256.HashData(Encoding.UTF8.GetBytes($"{measurementId:N}:{Normalise(code)}"));
}
