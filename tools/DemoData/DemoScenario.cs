using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Participatie.DemoData;

/// <summary>
/// One buurt, three partners and residents who prefer different languages and channels; a renovation trajectory in
/// its plan-making phase with a consultation whose reactions are in several states, and a draagvlakmeting in progress.
/// Everything goes through the public gateway API.
/// </summary>
internal sealed partial class DemoScenario(HttpClient gateway, IConfiguration configuration, ILogger<DemoScenario> logger)
{
    private const string BuurtCode = "BU99990101";

    /// <summary>The gemeente the demo buurt lies in (the 4 digits after "BU").</summary>
    private const string DemoGemeente = "GM9999";

    /// <summary>The demo's staff sign-in for the partner console (run.sh prints it): a demo's password, never a real one.</summary>
    public const string ConsoleStaffEmail = "medewerker@delinde.example";
    public const string ConsoleStaffPassword = "demo-console-delinde-2027";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // The platform operator registers the partners and a system client for each; the partners then act themselves.
        await AuthenticateAsync("platform-operator", configuration["Identity:PlatformOperatorSecret"]!, cancellationToken);
        var municipality = await PostAsync("/v1/partners", new { name = "Gemeente Voorbeeldstad", kind = "municipality", registryNumber = "00000001000000000000" }, cancellationToken);
        var corporation = await PostAsync("/v1/partners", new { name = "Woonstichting De Linde", kind = "housing-corporation", registryNumber = "12345678" }, cancellationToken);
        var institution = await PostAsync("/v1/partners", new { name = "Welzijn Samen", kind = "social-institution", registryNumber = "87654321" }, cancellationToken);
        var corporationClient = await RegisterClientAsync(corporation, cancellationToken);
        var municipalityClient = await RegisterClientAsync(municipality, cancellationToken);
        var institutionClient = await RegisterClientAsync(institution, cancellationToken);
        // Each partner works in the demo's gemeente (a partner starts trajectories only in the areas granted to it).
        foreach (var partner in new[] { municipality, corporation, institution })
        {
            await PutAsync($"/v1/partners/{partner}/areas", new { areaCodes = new[] { DemoGemeente } }, cancellationToken);
        }

        // The corporation leads the renovation trajectory; the municipality co-owns it, the social institution contributes.
        await AuthenticateAsync(corporationClient.Id, corporationClient.Secret, cancellationToken);
        var trajectory = await PostAsync("/v1/trajectories", new
        {
            name = "Renovatie Demobuurt 2027",
            description = "Renovatie van 120 portiekwoningen, met de bewoners.",
            buurtCodes = new[] { BuurtCode },
        }, cancellationToken);
        // A staff member of the corporation, its admin, who signs in to the partner console at /console.
        await PostAsync($"/v1/partners/{corporation}/staff", new
        {
            email = ConsoleStaffEmail,
            name = "Sanne Jansen",
            password = ConsoleStaffPassword,
            role = "partner-admin",
        }, cancellationToken);
        await PutAsync($"/v1/trajectories/{trajectory}/members/{municipality}", new { role = "co-owner" }, cancellationToken);
        await PutAsync($"/v1/trajectories/{trajectory}/members/{institution}", new { role = "contributor" }, cancellationToken);
        await WaitUntilConsultationsKnowAsync(trajectory, cancellationToken);

        var residents = new List<string>();
        foreach (var resident in Residents)
        {
            residents.Add(await PostAsync("/v1/residents", resident, cancellationToken));
        }

        var consultation = await PostAsync("/v1/consultations", new
        {
            trajectoryId = trajectory,
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

        await PutAsync(
            $"/v1/consultations/{consultation}/reactions/{answered}/answer",
            new { status = "partly-adopted", explanation = "Er komt extra verlichting in elk portiek. Voor een bankje is te weinig ruimte." },
            cancellationToken);

        // Reactions in several states: one under consideration, one not adopted (with the reason), one still received.
        var considered = await PostAsync($"/v1/consultations/{consultation}/reactions", new
        {
            residentId = residents[2],
            text = "Kan de deur automatisch opengaan? Ik heb een rollator.",
            channel = "phone",
            language = "ar",
        }, cancellationToken);
        await PutAsync(
            $"/v1/consultations/{consultation}/reactions/{considered}/answer",
            new { status = "under-consideration", explanation = "We vragen een prijs op voor automatische deuren." },
            cancellationToken);
        var declined = await PostAsync($"/v1/consultations/{consultation}/reactions", new
        {
            residentId = residents[3],
            text = "Graag een lift in elk portiek.",
            channel = "paper-form",
            language = "pl",
        }, cancellationToken);
        await PutAsync(
            $"/v1/consultations/{consultation}/reactions/{declined}/answer",
            new { status = "not-adopted", explanation = "Een lift past niet in de portieken; de trappen krijgen wel een tweede leuning." },
            cancellationToken);

        // The renovation proposal goes to a vote of the 12 homes of the complex: a draagvlakmeting in progress.
        var measurement = await PostForJsonAsync("/v1/support-measurements", new
        {
            trajectoryId = trajectory,
            title = "Renovatievoorstel portiekflats Demobuurt",
            proposal = "Nieuwe entrees, isolatie en ventilatie; de huur stijgt met 25 euro per maand.",
            deadline = DateTimeOffset.UtcNow.AddDays(21),
            homes = Enumerable.Range(1, 12).Select(number => new { postcode = "1234 AB", houseNumber = number }).ToArray(),
        }, cancellationToken);
        var measurementId = measurement.RootElement.GetProperty("id").GetString()!;
        // The codes go out by letter from the platform, never to a partner: the demo's votes are signed paper forms
        // the corporation enters for 7 of the homes.
        var homes = measurement.RootElement.GetProperty("homes").EnumerateArray().Select(home => home.GetString()!).ToList();
        foreach (var (homeKey, index) in homes.Take(7).Select((homeKey, index) => (homeKey, index)))
        {
            using var vote = await PostForJsonAsync(
                $"/v1/support-measurements/{measurementId}/votes",
                new { homeKey, choice = index < 5 ? "agree" : "disagree", formReference = $"DEMO-FORM-{index + 1:D3}" },
                cancellationToken);
        }

        measurement.Dispose();
        await PutAsync($"/v1/trajectories/{trajectory}/phase", new { phase = "plan-making" }, cancellationToken);

        await WriteCredentialsAsync(
            [
                ("OPERATOR", ("platform-operator", configuration["Identity:PlatformOperatorSecret"]!)),
                ("CORPORATION", corporationClient),
                ("MUNICIPALITY", municipalityClient),
                ("INSTITUTION", institutionClient),
            ],
            trajectory,
            consultation,
            cancellationToken);
        LogLoaded(municipality, consultation, residents.Count);
    }

    /// <summary>Writes the demo clients where the README's examples read them (only when the AppHost asks for it).</summary>
    private async Task WriteCredentialsAsync(
        IReadOnlyList<(string Name, (string Id, string Secret) Client)> clients, string trajectory, string consultation, CancellationToken cancellationToken)
    {
        if (configuration["DemoData:CredentialsFile"] is not { Length: > 0 } path)
        {
            return;
        }

        var lines = clients.SelectMany(client => new[]
        {
            $"{client.Name}_CLIENT_ID={client.Client.Id}",
            $"{client.Name}_CLIENT_SECRET={client.Client.Secret}",
        }).Append($"TRAJECTORY_ID={trajectory}").Append($"CONSULTATION_ID={consultation}")
            .Append($"CONSOLE_STAFF_EMAIL={ConsoleStaffEmail}").Append($"CONSOLE_STAFF_PASSWORD={ConsoleStaffPassword}");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllLinesAsync(path, lines, cancellationToken);
    }

    private static readonly object[] Residents =
    [
        new { fullName = "Anna de Vries", postcode = "1234 AB", houseNumber = 1, street = "Kolenkitstraat", city = "Amsterdam", buurtCode = BuurtCode, email = "anna@example.org", preferredLanguage = "nl", preferredChannel = "email" },
        new { fullName = "Mehmet Yılmaz", postcode = "1234 AB", houseNumber = 3, street = "Kolenkitstraat", city = "Amsterdam", buurtCode = BuurtCode, phoneNumber = "+31612345678", preferredLanguage = "tr", preferredChannel = "sms" },
        new { fullName = "Fatima El Amrani", postcode = "1234 AB", houseNumber = 5, houseNumberSuffix = "A", street = "Kolenkitstraat", city = "Amsterdam", buurtCode = BuurtCode, preferredLanguage = "ar", preferredChannel = "letter" },
        new { fullName = "Kasia Nowak", postcode = "1234 AC", houseNumber = 2, street = "Bos en Lommerweg", city = "Amsterdam", buurtCode = BuurtCode, preferredLanguage = "pl", preferredChannel = "app" },
        new { fullName = "Olena Kovalenko", postcode = "1234 AC", houseNumber = 4, street = "Bos en Lommerweg", city = "Amsterdam", buurtCode = BuurtCode, email = "olena@example.org", preferredLanguage = "uk", preferredChannel = "email" },
    ];

    private async Task PutAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var response = await gateway.PutAsJsonAsync(new Uri(path, UriKind.Relative), body, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"PUT {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>
    /// The consultations service learns of a new trajectory by an event, milliseconds after it was created; until then
    /// it does not exist there (404), as for any client of the platform.
    /// </summary>
    private async Task WaitUntilConsultationsKnowAsync(string trajectory, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await gateway.GetAsync(new Uri($"/v1/consultations/trajectories/{trajectory}/settings", UriKind.Relative), cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            if (attempt == 300)
            {
                throw new InvalidOperationException($"The consultations service did not learn of trajectory {trajectory} in 30 seconds.");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task<(string Id, string Secret)> RegisterClientAsync(string partnerId, CancellationToken cancellationToken)
    {
        var created = await PostForJsonAsync($"/v1/partners/{partnerId}/clients", new { displayName = "Demo system", kind = "system" }, cancellationToken);
        var clientId = created.RootElement.GetProperty("clientId").GetString()!;
        var secret = created.RootElement.GetProperty("clientSecret").GetString()!;
        LogClient(partnerId, clientId);
        return (clientId, secret);
    }

    private async Task AuthenticateAsync(string clientId, string secret, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        });
        using var response = await gateway.PostAsync(new Uri("/connect/token", UriKind.Relative), form, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The token request for {clientId} failed: {body}");
        }

        using var token = JsonDocument.Parse(body);
        gateway.DefaultRequestHeaders.Authorization = new("Bearer", token.RootElement.GetProperty("access_token").GetString());
    }

    private async Task<string> PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var created = await PostForJsonAsync(path, body, cancellationToken);
        return created.RootElement.GetProperty("id").GetString()!;
    }

    private async Task<JsonDocument> PostForJsonAsync(string path, object body, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await gateway.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            // A vote answers 200, a creation 201: both are fine here.
            if (response.IsSuccessStatusCode)
            {
                return JsonDocument.Parse(text);
            }

            // A resident registered, or an area granted, a moment ago reaches the other services by an event: as a
            // partner's system would, try again for a while when the 422 says the news has not arrived yet.
            var notYet = response.StatusCode == System.Net.HttpStatusCode.UnprocessableEntity
                && (text.Contains("not known to this service yet", StringComparison.Ordinal) || text.Contains("a new grant arrives within seconds", StringComparison.Ordinal));
            if (!notYet || attempt == 300)
            {
                throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo client of partner {PartnerId}: {ClientId} (its secret is in artifacts/demo-clients.env)")]
    private partial void LogClient(string partnerId, string clientId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo loaded: partner {Municipality}, consultation {Consultation}, {Residents} residents")]
    private partial void LogLoaded(string municipality, string consultation, int residents);
}
