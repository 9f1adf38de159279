using System.Globalization;

namespace Participatie.Benchmark.Setup;

/// <summary>Bodies of POST /v1/residents for made-up residents, spread over the languages and the channels that need no contact details.</summary>
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
}
