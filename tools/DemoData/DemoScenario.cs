using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Participatie.DemoData;

/// <summary>
/// One buurt, three partners and residents who prefer different languages and channels; a consultation with a
/// reaction that has been answered and one that waits. Everything goes through the public gateway API.
/// </summary>
internal sealed partial class DemoScenario(HttpClient gateway, ILogger<DemoScenario> logger)
{
    private const string BuurtCode = "BU99990101";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var municipality = await PostAsync("/v1/partners", new { name = "Gemeente Voorbeeldstad", kind = "municipality", registryNumber = "00000001000000000000" }, cancellationToken);
        var corporation = await PostAsync("/v1/partners", new { name = "Woonstichting De Linde", kind = "housing-corporation", registryNumber = "12345678" }, cancellationToken);
        await PostAsync("/v1/partners", new { name = "Welzijn Samen", kind = "social-institution", registryNumber = "87654321" }, cancellationToken);

        var residents = new List<string>();
        foreach (var resident in Residents)
        {
            residents.Add(await PostAsync("/v1/residents", resident, cancellationToken));
        }

        var consultation = await PostAsync("/v1/consultations", new
        {
            partnerId = corporation,
            title = "Renovatie Demobuurt 2027: de nieuwe entree",
            description = "Woonstichting De Linde vernieuwt in 2027 de portieken. Hoe wilt u dat de nieuwe entree eruitziet?",
            buurtCode = BuurtCode,
            closesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)),
        }, cancellationToken);

        var answered = await PostAsync($"/v1/consultations/{consultation}/reactions", new
        {
            residentId = residents[1],
            text = "Graag meer licht in het portiek en een bankje voor ouderen.",
            channel = "door-to-door",
            language = "tr",
        }, cancellationToken);
        await PostAsync($"/v1/consultations/{consultation}/reactions", new
        {
            residentId = residents[0],
            text = "Kunnen de fietsen binnen gestald worden?",
        }, cancellationToken);

        var answer = await gateway.PutAsJsonAsync(
            new Uri($"/v1/consultations/{consultation}/reactions/{answered}/answer", UriKind.Relative),
            new { status = "partly-adopted", explanation = "Er komt extra verlichting in elk portiek. Voor een bankje is te weinig ruimte." },
            cancellationToken);
        answer.EnsureSuccessStatusCode();

        LogLoaded(municipality, consultation, residents.Count);
    }

    private static readonly object[] Residents =
    [
        new { fullName = "Anna de Vries", postcode = "1234 AB", houseNumber = 1, buurtCode = BuurtCode, email = "anna@example.org", preferredLanguage = "nl", preferredChannel = "email" },
        new { fullName = "Mehmet Yılmaz", postcode = "1234 AB", houseNumber = 3, buurtCode = BuurtCode, phoneNumber = "+31612345678", preferredLanguage = "tr", preferredChannel = "sms" },
        new { fullName = "Fatima El Amrani", postcode = "1234 AB", houseNumber = 5, houseNumberSuffix = "A", buurtCode = BuurtCode, preferredLanguage = "ar", preferredChannel = "letter" },
        new { fullName = "Kasia Nowak", postcode = "1234 AC", houseNumber = 2, buurtCode = BuurtCode, preferredLanguage = "pl", preferredChannel = "app" },
        new { fullName = "Olena Kovalenko", postcode = "1234 AC", houseNumber = 4, buurtCode = BuurtCode, email = "olena@example.org", preferredLanguage = "uk", preferredChannel = "email" },
    ];

    private async Task<string> PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await gateway.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return created.RootElement.GetProperty("id").GetString()!;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo loaded: partner {Municipality}, consultation {Consultation}, {Residents} residents")]
    private partial void LogLoaded(string municipality, string consultation, int residents);
}
