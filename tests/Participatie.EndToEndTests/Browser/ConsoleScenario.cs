using System.Net.Http.Json;
using System.Text.Json;
using Participatie.Testing;

namespace Participatie.EndToEndTests.Browser;

/// <summary>
/// What the partner console is tried on, set up through the gateway API as a partner's own system would: a housing
/// corporation with a staff login, a trajectory over a buurt of its own, residents there, a consultation and a
/// reaction from each resident.
/// </summary>
public sealed record ConsoleScenario(
    RegisteredPartner Partner, string PartnerName, string StaffEmail, string StaffPassword, Guid TrajectoryId, Guid ConsultationId,
    string ConsultationTitle, IReadOnlyList<(Guid Id, string Text)> Reactions)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static async Task<ConsoleScenario> CreateAsync(PlatformFixture platform, int reactionCount = 3)
    {
        var name = TestData.NewPartnerName("Woonstichting De Linde");
        var partner = await platform.RegisterPartnerWithClientAsync(name, "housing-corporation");
        var api = partner.Client;
        var email = $"medewerker-{Guid.NewGuid():N}@delinde.example";
        const string password = "console-wachtwoord-2027";
        await PostAsync(api, $"/v1/partners/{partner.PartnerId}/staff", new { email, name = "Sanne Medewerker", password });

        var buurtCode = TestData.NewBuurtCode();
        var trajectoryId = (await PostAsync(api, "/v1/trajectories", new { name = "Renovatie Lindebuurt", buurtCodes = new[] { buurtCode } })).GetProperty("id").GetGuid();
        await PlatformFixture.WaitForConsultationsAccessAsync(api, trajectoryId);

        string[] texts = ["Graag meer licht in het portiek.", "De verlichting bij de fietsenstalling is te zwak.", "Lampen in de gang gaan te vroeg uit.", "Meer groen op het plein.", "Een bankje bij de speeltuin."];
        string[] languages = ["nl", "tr", "ar", "pl", "uk"];
        var residents = new List<Guid>();
        for (var i = 0; i < reactionCount; i++)
        {
            residents.Add((await PostAsync(api, "/v1/residents", new
            {
                fullName = $"Bewoner {i + 1}",
                postcode = TestData.NewPostcode(),
                houseNumber = i + 1,
                buurtCode,
                preferredLanguage = languages[i % languages.Length],
                preferredChannel = "letter",
            })).GetProperty("id").GetGuid());
        }

        const string title = "Verlichting in de Lindebuurt";
        var consultation = await PostAsync(api, "/v1/consultations", new
        {
            trajectoryId,
            title,
            description = "Waar is meer licht nodig?",
            buurtCode,
            closesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)),
        });
        var consultationId = consultation.GetProperty("id").GetGuid();
        var reactions = new List<(Guid, string)>();
        await platform.WaitUntilConsultationsKnowAsync([.. residents]);
        for (var i = 0; i < reactionCount; i++)
        {
            var reaction = await PostAsync(api, $"/v1/consultations/{consultationId}/reactions", new { residentId = residents[i], text = texts[i], language = languages[i % languages.Length] });
            reactions.Add((reaction.GetProperty("id").GetGuid(), texts[i]));
        }

        // A draagvlakmeting over ten homes, three of which agree: its progress towards 70% shows on the trajectory page.
        var postcode = TestData.NewPostcode();
        var measurement = await PostAsync(api, "/v1/support-measurements", new
        {
            trajectoryId,
            title = "Sterkere verlichting in alle portieken",
            proposal = "Nieuwe lampen met bewegingsmelders; de servicekosten stijgen met 2 euro per maand.",
            deadline = DateTimeOffset.UtcNow.AddDays(21),
            homes = Enumerable.Range(1, 10).Select(number => new { postcode, houseNumber = number }).ToArray(),
        });
        var measurementId = measurement.GetProperty("id").GetGuid();
        // The codes go by letter to the homes, never to a partner: three signed paper forms, entered by the corporation.
        foreach (var (homeKey, index) in measurement.GetProperty("homes").EnumerateArray().Take(3).Select((home, index) => (home.GetString(), index)))
        {
            await PostAsync(api, $"/v1/support-measurements/{measurementId}/votes", new { homeKey, choice = "agree", formReference = $"FORM-{index + 1:D3}" });
        }

        return new ConsoleScenario(partner, name, email, password, trajectoryId, consultationId, title, reactions);
    }

    public async Task<string> ReactionStatusAsync(Guid reactionId) =>
        (await Partner.Client.GetFromJsonAsync<JsonElement>($"/v1/consultations/{ConsultationId}/reactions/{reactionId}", Cancel)).GetProperty("status").GetString()!;

    private static async Task<JsonElement> PostAsync(HttpClient api, string path, object body)
    {
        using var response = await api.PostAsJsonAsync(path, body, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
