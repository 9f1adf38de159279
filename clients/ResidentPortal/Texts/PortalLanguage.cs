using System.Globalization;
using Participatie.Contracts;

namespace Participatie.ResidentPortal.Texts;

/// <summary>The language of this request's page, its texts, direction and culture (set by <see cref="LanguageSelection"/>).</summary>
public sealed class PortalLanguage
{
    public static readonly IReadOnlyDictionary<string, PortalTexts> Catalog = new Dictionary<string, PortalTexts>(StringComparer.Ordinal)
    {
        [Languages.Dutch] = PortalTextsNl.Texts,
        [Languages.English] = PortalTextsEn.Texts,
        [Languages.Turkish] = PortalTextsTr.Texts,
        [Languages.Arabic] = PortalTextsAr.Texts,
        [Languages.Polish] = PortalTextsPl.Texts,
        [Languages.Ukrainian] = PortalTextsUk.Texts,
        [Languages.Somali] = PortalTextsSo.Texts,
        [Languages.Tigrinya] = PortalTextsTi.Texts,
    };

    /// <summary>Each language's name in itself, for the switcher (a resident looks for their own language's name).</summary>
    public static readonly IReadOnlyDictionary<string, string> Autonyms = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Languages.Dutch] = "Nederlands",
        [Languages.English] = "English",
        [Languages.Turkish] = "Türkçe",
        [Languages.Arabic] = "العربية",
        [Languages.Polish] = "Polski",
        [Languages.Ukrainian] = "Українська",
        [Languages.Somali] = "Soomaali",
        [Languages.Tigrinya] = "ትግርኛ",
    };

    public string Code { get; private set; } = Languages.Dutch;

    public PortalTexts T => Catalog[Code];

    public string Direction => Code == Languages.Arabic ? "rtl" : "ltr";

    public CultureInfo Culture { get; private set; } = CultureInfo.GetCultureInfo("nl-NL");

    public void Use(string code)
    {
        Code = Catalog.ContainsKey(code) ? code : Languages.Dutch;
        Culture = CultureFor(Code);
    }

    public string Date(DateOnly date) => date.ToString("d MMMM yyyy", Culture);

    /// <summary>A moment shown in Amsterdam time, where the buurt is.</summary>
    public string DateTime(DateTimeOffset moment) =>
        TimeZoneInfo.ConvertTime(moment, Amsterdam).ToString("d MMMM yyyy, HH:mm", Culture);

    private static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    private static CultureInfo CultureFor(string code)
    {
        try
        {
            return CultureInfo.GetCultureInfo(code);
        }
        catch (CultureNotFoundException)
        {
            return CultureInfo.GetCultureInfo("nl-NL");
        }
    }
}
