using System.Text.RegularExpressions;
using Participatie.Contracts;

namespace Participatie.Notifications.Texts;

/// <summary>A word or phrase of officialese and what to write instead.</summary>
public sealed record OfficialeseEntry(string Phrase, string Alternative);

/// <summary>Officialese found in a text: as it was written, where it starts, and what to write instead.</summary>
public sealed record OfficialeseFinding(string Found, int Index, string Phrase, string Alternative);

/// <summary>
/// Dutch officialese ("stadhuistaal") that residents stumble over, each with a plain alternative. Matched as whole
/// words, whatever the case.
/// </summary>
public static class Officialese
{
    public static readonly IReadOnlyList<OfficialeseEntry> Entries =
    [
        new("raadpleging", "uw mening gevraagd"),
        new("raadplegingen", "vragen om uw mening"),
        new("inzake", "over"),
        new("teneinde", "om"),
        new("ten einde", "om"),
        new("middels", "met"),
        new("alsmede", "en"),
        new("alsook", "en ook"),
        new("derhalve", "daarom"),
        new("dientengevolge", "daardoor"),
        new("aangaande", "over"),
        new("omtrent", "over"),
        new("hieromtrent", "hierover"),
        new("betreffende", "over"),
        new("ten behoeve van", "voor"),
        new("ten aanzien van", "over"),
        new("in het kader van", "bij, voor"),
        new("met betrekking tot", "over"),
        new("naar aanleiding van", "na, door"),
        new("op grond van", "volgens, door"),
        new("ingevolge", "volgens"),
        new("overeenkomstig", "volgens"),
        new("conform", "volgens"),
        new("doch", "maar"),
        new("evenwel", "maar"),
        new("indien", "als"),
        new("mits", "als"),
        new("alvorens", "voordat"),
        new("reeds", "al"),
        new("thans", "nu"),
        new("tevens", "ook"),
        new("voorts", "verder"),
        new("aldus", "zo"),
        new("dan wel", "of"),
        new("hetgeen", "wat"),
        new("zulks", "dat"),
        new("desalniettemin", "toch"),
        new("niettemin", "toch"),
        new("onverwijld", "meteen"),
        new("terstond", "meteen"),
        new("per omgaande", "meteen"),
        new("gelieve", "wilt u"),
        new("trachten", "proberen"),
        new("verzoek", "vraag"),
        new("verzoeken", "vragen"),
        new("verstrekken", "geven"),
        new("verstrekt", "gegeven"),
        new("retourneren", "terugsturen"),
        new("woonachtig", "wonen"),
        new("aanvang", "begin"),
        new("beëindigen", "stoppen"),
        new("onderhavige", "deze"),
        new("bovengenoemde", "deze"),
        new("ondergetekende", "ik"),
        new("bijgaand", "bij deze brief"),
        new("geachte", "beste"),
        new("kenbaar maken", "laten weten"),
        new("kenbaar te maken", "te laten weten"),
        new("kenbaar gemaakt", "laten weten"),
        new("zorgdragen", "zorgen"),
        new("bewerkstelligen", "zorgen voor"),
        new("faciliteren", "helpen, mogelijk maken"),
        new("implementeren", "invoeren"),
        new("ter inzage", "om te bekijken"),
        new("ter beschikking stellen", "geven"),
        new("ter beschikking te stellen", "te geven"),
        new("voornemens", "van plan"),
        new("vigerende", "geldende"),
        new("u dient", "u moet"),
        new("jegens", "tegenover"),
    ];

    private static readonly (OfficialeseEntry Entry, Regex Pattern)[] Patterns =
    [
        .. Entries.Select(entry => (entry, new Regex(
            $@"(?<![\p{{L}}\p{{M}}]){string.Join(@"\s+", entry.Phrase.Split(' ').Select(Regex.Escape))}(?![\p{{L}}\p{{M}}])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
            TimeSpan.FromMilliseconds(PatternLimits.MatchTimeoutMilliseconds)))),
    ];

    /// <summary>Every officialese word or phrase in the text, in the order they appear.</summary>
    public static IReadOnlyList<OfficialeseFinding> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return
        [
            .. Patterns
                .SelectMany(pattern => pattern.Pattern.Matches(text)
                    .Select(match => new OfficialeseFinding(match.Value, match.Index, pattern.Entry.Phrase, pattern.Entry.Alternative)))
                .OrderBy(finding => finding.Index),
        ];
    }
}
