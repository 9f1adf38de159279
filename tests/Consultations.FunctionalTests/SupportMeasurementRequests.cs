using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Participatie.Contracts;
using Participatie.Testing;
using static Participatie.Consultations.FunctionalTests.Requests;

namespace Participatie.Consultations.FunctionalTests;

/// <summary>A measurement a test created, with the codes that went out by letter (home key → code).</summary>
internal sealed record TestMeasurement(Guid Id, JsonElement Created, IReadOnlyList<(string HomeKey, string Code)> Codes)
{
    public string Path => $"/v1/support-measurements/{Id}";

    public string PublicVotesPath => $"/v1/public/support-measurements/{Id}/votes";

    public string CodeOf(int home) => Codes[home].Code;

    public string HomeOf(int home) => Codes[home].HomeKey;
}

/// <summary>
/// Stands in for the notifications service: reads the voting codes where it gets them, from the broker, because no
/// partner endpoint answers them and the outbox row keeps them only until relayed. One listener per service instance.
/// </summary>
internal sealed class VotingCodeLetters
{
    private static readonly ConditionalWeakTable<IServiceProvider, Task<VotingCodeLetters>> Listeners = [];
    private readonly ConcurrentDictionary<Guid, SupportVotingCodesIssued> _issued = new();
    private readonly ConcurrentQueue<SupportMeasurementClosed> _closed = new();

    public static Task<VotingCodeLetters> OfAsync(IServiceProvider services) =>
        Listeners.GetValue(services, ListenAsync);

    private static async Task<VotingCodeLetters> ListenAsync(IServiceProvider services)
    {
        var letters = new VotingCodeLetters();
        var listener = services.GetRequiredService<IBus>().ConnectReceiveEndpoint(
            new TemporaryEndpointDefinition(), DefaultEndpointNameFormatter.Instance,
            endpoint =>
            {
                endpoint.Handler<SupportVotingCodesIssued>(context =>
                {
                    letters._issued[context.Message.MeasurementId] = context.Message;
                    return Task.CompletedTask;
                });
                endpoint.Handler<SupportMeasurementClosed>(context =>
                {
                    letters._closed.Enqueue(context.Message);
                    return Task.CompletedTask;
                });
            });
        await listener.Ready;
        return letters;
    }

    public async Task<SupportVotingCodesIssued> IssuedAsync(Guid measurementId) =>
        (await Eventually.MatchesAsync(
            () => Task.FromResult(_issued.GetValueOrDefault(measurementId)),
            message => message is not null, $"the voting codes of measurement {measurementId} on the broker"))!;

    public async Task<IReadOnlyList<SupportMeasurementClosed>> ClosedAsync(Guid measurementId) =>
        await Eventually.MatchesAsync(
            () => Task.FromResult<IReadOnlyList<SupportMeasurementClosed>>([.. _closed.Where(message => message.MeasurementId == measurementId)]),
            messages => messages.Count > 0, $"the closing of measurement {measurementId} on the broker");

    public IReadOnlyList<SupportMeasurementClosed> ClosedSoFar(Guid measurementId) =>
        [.. _closed.Where(message => message.MeasurementId == measurementId)];
}

/// <summary>The support-measurement requests the tests make again and again, each with homes of its own.</summary>
internal static class SupportMeasurementRequests
{
    /// <summary>A street of the given number of homes at a postcode no other test uses, numbered 1, 2, ...</summary>
    public static object[] NewHomes(int count, string? postcode = null)
    {
        postcode ??= NewPostcode();
        return [.. Enumerable.Range(1, count).Select(number => new { postcode, houseNumber = number, houseNumberSuffix = (string?)null })];
    }

    /// <summary>A postcode such as "4821 KL" (four digits not starting with 0, and letters that are always allowed).</summary>
    public static string NewPostcode() => $"{RandomNumberGenerator.GetInt32(1000, 10_000)} KL";

    public static object NewMeasurement(Guid trajectoryId, object[] homes, DateTimeOffset? deadline = null) => new
    {
        trajectoryId,
        title = "Renovatie Kolenkitbuurt, blok 3",
        proposal = "Nieuwe kozijnen met HR++-glas, dakisolatie en mechanische ventilatie; de huur stijgt met 25 euro per maand.",
        deadline = deadline ?? DateTimeOffset.UtcNow.AddDays(21),
        homes,
    };

    /// <summary>Creates a measurement and reads its codes from the broker, as the letters would bring them to the homes.</summary>
    public static async Task<TestMeasurement> CreateMeasurementAsync(
        this HttpClient client, IServiceProvider services, Guid trajectoryId, int homes = 10, DateTimeOffset? deadline = null)
    {
        var letters = await VotingCodeLetters.OfAsync(services);
        using var response = await client.PostAsJsonAsync("/v1/support-measurements", NewMeasurement(trajectoryId, NewHomes(homes), deadline), Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Cancel));
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var issued = await letters.IssuedAsync(created.Id());
        return new TestMeasurement(created.Id(), created, [.. issued.Homes.Select(home => (home.HomeKey, home.Code))]);
    }

    /// <summary>The resident votes with the code from their letter, without signing in.</summary>
    public static Task<HttpResponseMessage> VoteAsync(this HttpClient client, TestMeasurement measurement, string code, string choice) =>
        client.PostAsJsonAsync(measurement.PublicVotesPath, new { code, choice }, Cancel);

    /// <summary>A partner enters a resident's signed paper form for a home, by the form's reference.</summary>
    public static Task<HttpResponseMessage> EnterPaperVoteAsync(
        this HttpClient client, TestMeasurement measurement, string homeKey, string choice, string formReference = "FORM-0001") =>
        client.PostAsJsonAsync($"{measurement.Path}/votes", new { homeKey, choice, formReference }, Cancel);

    /// <summary>Votes that must be taken: one per home, from the first home on, agreeing first, each with its letter code.</summary>
    public static async Task VoteManyAsync(this HttpClient client, TestMeasurement measurement, int agreeing, int disagreeing)
    {
        for (var home = 0; home < agreeing + disagreeing; home++)
        {
            using var response = await client.VoteAsync(measurement, measurement.CodeOf(home), home < agreeing ? "agree" : "disagree");
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        }
    }

    public static Task<JsonElement> ResultAsync(this HttpClient client, TestMeasurement measurement) =>
        client.GetFromJsonAsync<JsonElement>($"{measurement.Path}/result", Cancel);

    public static Task<HttpResponseMessage> CloseAsync(this HttpClient client, TestMeasurement measurement) =>
        client.PostAsync(new Uri($"{measurement.Path}/close", UriKind.Relative), null, Cancel);

    /// <summary>The counts of a result, to compare one result with another.</summary>
    public static (int Homes, int Votes, int Agreeing, int Disagreeing, bool ThresholdMet) Counts(this JsonElement result) => (
        result.GetProperty("homes").GetInt32(),
        result.GetProperty("votes").GetInt32(),
        result.GetProperty("agreeing").GetInt32(),
        result.GetProperty("disagreeing").GetInt32(),
        result.GetProperty("thresholdMet").GetBoolean());
}
