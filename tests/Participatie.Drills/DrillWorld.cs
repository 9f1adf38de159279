using System.Globalization;
using Npgsql;
using Participatie.Testing;

namespace Participatie.Drills;

/// <summary>
/// What a drill's load needs, set up through the gateway as a partner would: a partner leading a trajectory in a buurt
/// of its own, residents there (reached in the app, so that no mail or letter work weighs on the drill) and an open
/// consultation. The notifications service knows every resident before the load starts, so that every reaction is owed
/// exactly one receipt.
/// </summary>
public sealed record DrillWorld(DrillPartner Partner, Guid TrajectoryId, Guid ConsultationId, string BuurtCode, IReadOnlyList<Guid> Residents)
{
    public static async Task<DrillWorld> CreateAsync(DrillPlatform platform, string name, int residentCount = 50)
    {
        var partner = await platform.RegisterPartnerAsync(name);
        using var client = platform.Gateway(partner.AccessToken);
        var buurtCode = TestData.NewBuurtCode();
        var postcode = TestData.NewPostcode();
        var residents = new List<Guid>();
        for (var number = 1; number <= residentCount; number++)
        {
            var body = new
            {
                fullName = $"Bewoner {number.ToString(CultureInfo.InvariantCulture)}",
                postcode,
                houseNumber = number,
                buurtCode,
                preferredLanguage = "nl",
                preferredChannel = "app",
            };
            var resident = number == 1
                ? await FirstResidentAsync(client, body)
                : await DrillPlatform.SendAsync(client, HttpMethod.Post, "/v1/residents", body);
            residents.Add(resident.GetProperty("id").GetGuid());
        }

        var trajectoryId = (await DrillPlatform.SendAsync(client, HttpMethod.Post, "/v1/trajectories", new { name = $"Drill {name}", buurtCodes = new[] { buurtCode } }))
            .GetProperty("id").GetGuid();
        await Eventually.MatchesAsync(
            async () =>
            {
                using var response = await client.GetAsync(new Uri($"/v1/consultations/trajectories/{trajectoryId}/settings", UriKind.Relative), TestContext.Current.CancellationToken);
                return response.StatusCode;
            },
            status => status == System.Net.HttpStatusCode.OK,
            $"the consultations service to let the partner into trajectory {trajectoryId}",
            TimeSpan.FromSeconds(60));
        var consultationId = (await DrillPlatform.SendAsync(client, HttpMethod.Post, "/v1/consultations", new
        {
            trajectoryId,
            title = $"Drill {name}",
            description = "Reacties tijdens een storingsoefening.",
            buurtCode,
            closesOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)),
        })).GetProperty("id").GetGuid();

        var notifications = await platform.ConnectionStringAsync("notificationsdb");
        await Eventually.MatchesAsync(
            () => ScalarAsync(notifications, "SELECT count(*) FROM recipients WHERE buurt_code = @p", buurtCode),
            known => known == residentCount,
            "the notifications service to know every resident of the drill",
            TimeSpan.FromSeconds(90));
        return new DrillWorld(partner, trajectoryId, consultationId, buurtCode, residents);
    }

    /// <summary>
    /// The partner's areas reach the residents service as an event a moment after the grant; right after the
    /// platform's start (the first drill) that moment can be seconds, answered 422 naming buurtCode meanwhile.
    /// </summary>
    private static async Task<System.Text.Json.JsonElement> FirstResidentAsync(HttpClient client, object body)
    {
        var cancel = TestContext.Current.CancellationToken;
        var giveUp = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await client.PostAsync(new Uri("/v1/residents", UriKind.Relative), System.Net.Http.Json.JsonContent.Create(body), cancel);
            var text = await response.Content.ReadAsStringAsync(cancel);
            var areaNotYetKnown = response.StatusCode == System.Net.HttpStatusCode.UnprocessableEntity
                && text.Contains("outside the areas", StringComparison.Ordinal);
            if (!areaNotYetKnown || DateTimeOffset.UtcNow > giveUp)
            {
                Assert.True(response.IsSuccessStatusCode, $"POST /v1/residents answered {(int)response.StatusCode}: {text}");
                return System.Text.Json.JsonDocument.Parse(text).RootElement;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancel);
        }
    }

    /// <summary>The number of receipts stored for each of the trajectory's reactions (in the notifications database).</summary>
    public async Task<IReadOnlyDictionary<Guid, int>> ReceiptsPerReactionAsync(DrillPlatform platform)
    {
        await using var connection = new NpgsqlConnection(await platform.ConnectionStringAsync("notificationsdb"));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT subject_id, count(*) FROM notifications WHERE kind = 'reaction-received' AND trajectory_id = @p GROUP BY subject_id", connection)
        {
            // The drill's trajectory has this one consultation.
            Parameters = { new NpgsqlParameter("p", TrajectoryId) },
        };
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var receipts = new Dictionary<Guid, int>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            receipts[reader.GetGuid(0)] = (int)reader.GetInt64(1);
        }

        return receipts;
    }

    /// <summary>The ids of the consultation's reactions as the consultations service stored them.</summary>
    public async Task<IReadOnlySet<Guid>> StoredReactionsAsync(DrillPlatform platform)
    {
        await using var connection = new NpgsqlConnection(await platform.ConnectionStringAsync("consultationsdb"));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT id FROM reactions WHERE consultation_id = @p", connection)
        {
            Parameters = { new NpgsqlParameter("p", ConsultationId) },
        };
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var ids = new HashSet<Guid>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    /// <summary>Waits until every reaction has a receipt (or time runs out) and returns the receipts per reaction.</summary>
    public async Task<IReadOnlyDictionary<Guid, int>> AwaitReceiptsAsync(DrillPlatform platform, IReadOnlyCollection<Guid> reactions, TimeSpan timeout)
    {
        try
        {
            return await Eventually.MatchesAsync(
                () => ReceiptsPerReactionAsync(platform),
                receipts => reactions.All(receipts.ContainsKey),
                $"a receipt for each of {reactions.Count} reactions",
                timeout);
        }
        catch (TimeoutException)
        {
            // The assertions name what is missing.
            return await ReceiptsPerReactionAsync(platform);
        }
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql, object parameter)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new NpgsqlParameter("p", parameter) } };
        return Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), CultureInfo.InvariantCulture);
    }
}
