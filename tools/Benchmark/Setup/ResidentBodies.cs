using System.Globalization;

namespace Participatie.Benchmark.Setup;

/// <summary>Bodies of POST /v1/residents for made-up residents, spread over the languages and the channels that need no contact details; and residents reached by e-mail.</summary>
internal static class ResidentBodies
{
    private static readonly string[] Languages = ["nl", "en", "tr", "ar", "pl", "uk"];
    private static readonly string[] Channels = ["letter", "app"];

    public static object Resident(int number, string buurtCode) => new
    {
        fullName = $"Bewoner {number.ToString(CultureInfo.InvariantCulture)}",
        // 500 homes per postcode, so 100,000 residents live at 200 postcodes of the buurt.
        postcode = $"{1000 + number / 500} BM",
        houseNumber = number % 500 + 1,
        buurtCode,
        preferredLanguage = Languages[number % Languages.Length],
        preferredChannel = Channels[number % Channels.Length],
    };

    /// <summary>A resident who wants everything by e-mail, at an address of the buurt's own made-up domain.</summary>
    public static object EmailResident(int number, string buurtCode) => new
    {
        fullName = $"Bewoner {number.ToString(CultureInfo.InvariantCulture)}",
        postcode = $"{1000 + number / 500} BM",
        houseNumber = number % 500 + 1,
        buurtCode,
        email = EmailAddress(number, buurtCode),
        preferredLanguage = Languages[number % Languages.Length],
        preferredChannel = "email",
    };

    /// <summary>The domain is reserved for examples (RFC 2606), so no mail could ever reach a real person.</summary>
    public static string EmailAddress(int number, string buurtCode) =>
        $"bewoner{number.ToString(CultureInfo.InvariantCulture)}@{buurtCode.ToLowerInvariant()}.example";
}
