using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Participatie.Contracts;

namespace Participatie.PartnerConsole;

/// <summary>
/// The console's only way into the platform: the public gateway API, with the signed-in staff member's token, exactly
/// as a partner's own system would call it.
/// </summary>
public sealed class GatewayApi(HttpClient http)
{
    private const int PageSize = 100;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<Partner?> PartnerAsync(Guid partnerId, CancellationToken cancellationToken) =>
        GetOrNullAsync<Partner>($"/v1/partners/{partnerId}", cancellationToken);

    /// <summary>The partner's logo (PNG or SVG) as the API keeps it, or null when it has none.</summary>
    public async Task<(string ContentType, byte[] Content)?> LogoAsync(Guid partnerId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri($"/v1/partners/{partnerId}/logo", UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        ThrowIfSessionEnded(response);
        response.EnsureSuccessStatusCode();
        return (response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream", await response.Content.ReadAsByteArrayAsync(cancellationToken));
    }

    public Task<IReadOnlyList<Consultation>> ConsultationsAsync(CancellationToken cancellationToken) =>
        AllPagesAsync<Consultation>("/v1/consultations", cancellationToken);

    public Task<Consultation?> ConsultationAsync(Guid consultationId, CancellationToken cancellationToken) =>
        GetOrNullAsync<Consultation>($"/v1/consultations/{consultationId}", cancellationToken);

    public Task<IReadOnlyList<Reaction>> ReactionsAsync(Guid consultationId, bool overdueOnly, CancellationToken cancellationToken) =>
        AllPagesAsync<Reaction>($"/v1/consultations/{consultationId}/reactions{(overdueOnly ? "?overdue=true" : string.Empty)}", cancellationToken);

    public Task<Reaction?> ReactionAsync(Guid consultationId, Guid reactionId, CancellationToken cancellationToken) =>
        GetOrNullAsync<Reaction>($"/v1/consultations/{consultationId}/reactions/{reactionId}", cancellationToken);

    public Task<IReadOnlyList<InternalNote>> InternalNotesAsync(Guid consultationId, Guid reactionId, CancellationToken cancellationToken) =>
        AllPagesAsync<InternalNote>($"/v1/consultations/{consultationId}/reactions/{reactionId}/internal-notes", cancellationToken);

    public Task<IReadOnlyList<Theme>> ThemesAsync(Guid consultationId, CancellationToken cancellationToken) =>
        AllPagesAsync<Theme>($"/v1/consultations/{consultationId}/themes", cancellationToken);

    public Task<ReachReport?> ReachAsync(Guid consultationId, CancellationToken cancellationToken) =>
        GetOrNullAsync<ReachReport>($"/v1/consultations/{consultationId}/reach", cancellationToken);

    public Task<IReadOnlyList<Notification>> NotificationsAboutAsync(Guid subjectId, CancellationToken cancellationToken) =>
        AllPagesAsync<Notification>($"/v1/notifications?subjectId={subjectId}", cancellationToken);

    /// <summary>How a consultation's messages to all its residents fared, not only to the partner's own: counts only.</summary>
    public Task<DeliveryCounts?> DeliveryCountsAsync(Guid consultationId, CancellationToken cancellationToken) =>
        GetOrNullAsync<DeliveryCounts>($"/v1/notifications/consultations/{consultationId}/delivery-counts", cancellationToken);

    public Task<IReadOnlyList<Trajectory>> TrajectoriesAsync(CancellationToken cancellationToken) =>
        AllPagesAsync<Trajectory>("/v1/trajectories", cancellationToken);

    public Task<Trajectory?> TrajectoryAsync(Guid trajectoryId, CancellationToken cancellationToken) =>
        GetOrNullAsync<Trajectory>($"/v1/trajectories/{trajectoryId}", cancellationToken);

    public Task<IReadOnlyList<TrajectoryTask>> TasksAsync(Guid trajectoryId, CancellationToken cancellationToken) =>
        AllPagesAsync<TrajectoryTask>($"/v1/trajectories/{trajectoryId}/tasks", cancellationToken);

    public Task<IReadOnlyList<Activity>> ActivitiesAsync(Guid trajectoryId, CancellationToken cancellationToken) =>
        AllPagesAsync<Activity>($"/v1/trajectories/{trajectoryId}/activities", cancellationToken);

    public Task<CommunicationPlan?> CommunicationPlanAsync(Guid trajectoryId, CancellationToken cancellationToken) =>
        GetOrNullAsync<CommunicationPlan>($"/v1/trajectories/{trajectoryId}/communication-plan", cancellationToken);

    public Task<IReadOnlyList<SupportMeasurement>> SupportMeasurementsAsync(CancellationToken cancellationToken) =>
        AllPagesAsync<SupportMeasurement>("/v1/support-measurements", cancellationToken);

    public Task<SupportResult?> SupportResultAsync(Guid measurementId, CancellationToken cancellationToken) =>
        GetOrNullAsync<SupportResult>($"/v1/support-measurements/{measurementId}/result", cancellationToken);

    public Task<ApiOutcome> AnswerReactionAsync(Guid consultationId, Guid reactionId, string? status, string? explanation, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"/v1/consultations/{consultationId}/reactions/{reactionId}/answer", new { status, explanation }, cancellationToken);

    public Task<ApiOutcome> AssignReactionAsync(Guid consultationId, Guid reactionId, Guid partnerId, string? assignee, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"/v1/consultations/{consultationId}/reactions/{reactionId}/assignment", new { partnerId, assignee }, cancellationToken);

    public Task<ApiOutcome> AddInternalNoteAsync(Guid consultationId, Guid reactionId, string? text, string author, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"/v1/consultations/{consultationId}/reactions/{reactionId}/internal-notes", new { text, author }, cancellationToken);

    public Task<ApiOutcome> CreateThemeAsync(Guid consultationId, string? title, string? description, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"/v1/consultations/{consultationId}/themes", new { title, description }, cancellationToken);

    public Task<ApiOutcome> AddReactionsToThemeAsync(Guid consultationId, Guid themeId, IReadOnlyList<Guid> reactionIds, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"/v1/consultations/{consultationId}/themes/{themeId}/reactions", new { reactionIds }, cancellationToken);

    public Task<ApiOutcome> AnswerThemeAsync(Guid consultationId, Guid themeId, string? status, string? explanation, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"/v1/consultations/{consultationId}/themes/{themeId}/answer", new { status, explanation }, cancellationToken);

    private async Task<T?> GetOrNullAsync<T>(string path, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        ThrowIfSessionEnded(response);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
    }

    private async Task<IReadOnlyList<T>> AllPagesAsync<T>(string path, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        for (var page = 1; ; page++)
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var result = await GetOrNullAsync<Page<T>>($"{path}{separator}page={page}&pageSize={PageSize}", cancellationToken);
            if (result is null)
            {
                return items;
            }

            items.AddRange(result.Items);
            if (result.Items.Count < PageSize || items.Count >= result.TotalCount)
            {
                return items;
            }
        }
    }

    private async Task<ApiOutcome> SendAsync(HttpMethod method, string path, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body, options: Json) };
        using var response = await http.SendAsync(request, cancellationToken);
        ThrowIfSessionEnded(response);
        if (response.IsSuccessStatusCode)
        {
            return ApiOutcome.Success;
        }

        // RFC 9457 problem details: the API names each field it refuses, and the console shows that next to the field.
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var errors = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? detail = null;
        try
        {
            using var problem = JsonDocument.Parse(text);
            if (problem.RootElement.TryGetProperty("errors", out var fields) && fields.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in fields.EnumerateObject())
                {
                    errors[field.Name] = string.Join(" ", field.Value.EnumerateArray().Select(message => message.GetString()));
                }
            }

            detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString()
                : problem.RootElement.TryGetProperty("title", out var t) ? t.GetString() : null;
        }
        catch (JsonException)
        {
            detail = text;
        }

        return new ApiOutcome(false, (int)response.StatusCode, detail, errors);
    }

    private static void ThrowIfSessionEnded(HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new SessionExpiredException();
        }
    }
}

public sealed record ApiOutcome(bool Succeeded, int Status, string? Detail, IReadOnlyDictionary<string, string> Errors)
{
    public static ApiOutcome Success { get; } = new(true, 200, null, new Dictionary<string, string>());

    public string? ErrorFor(string field) => Errors.GetValueOrDefault(field);
}

public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, long TotalCount);

public sealed record Partner(Guid Id, string Name, string Kind);

public sealed record Consultation(Guid Id, Guid TrajectoryId, Guid PartnerId, string Title, string Description, string BuurtCode, DateOnly ClosesOn);

public sealed record Reaction(
    Guid Id, Guid ConsultationId, Guid ResidentId, string Text, string Channel, string Language, string Status, string? Explanation,
    DateTimeOffset SubmittedAt, DateTimeOffset? AnsweredAt, DateOnly AnswerDueOn, Guid? AssignedPartnerId, string? Assignee, Guid? ThemeId);

public sealed record InternalNote(Guid Id, Guid PartnerId, string? Author, string Text, DateTimeOffset CreatedAt);

public sealed record Theme(
    Guid Id, Guid ConsultationId, string Title, string? Description, string? Status, string? Explanation, long ReactionCount, IReadOnlyList<Guid>? ReactionIds);

/// <summary>Counts of 1 to 4 come as "&lt; 5" (<see cref="SmallCount"/>), and a share over such a count as null.</summary>
public sealed record ReachGroup(
    string Dimension, string Value, SmallCount Residents, SmallCount Respondents, double? ShareOfResidents, double? ShareOfRespondents, double? ResponseRate,
    bool Underrepresented);

public sealed record ReachReport(SmallCount Residents, SmallCount Respondents, double? ResponseRate, IReadOnlyList<ReachGroup> Groups);

public sealed record DeliveryCount(string Channel, string Status, SmallCount Count);

public sealed record DeliveryCounts(Guid ConsultationId, SmallCount Total, IReadOnlyList<DeliveryCount> Counts);

public sealed record Notification(Guid Id, string Kind, string Language, string Channel, string Status);

public sealed record TrajectoryMember(Guid PartnerId, string PartnerName, string PartnerKind, string Role);

public sealed record Trajectory(Guid Id, string Name, string Description, IReadOnlyList<string> BuurtCodes, string Phase, string? MyRole, IReadOnlyList<TrajectoryMember> Members);

public sealed record TrajectoryTask(Guid Id, string Title, string Description, Guid AssigneePartnerId, DateOnly DueDate, string Status);

public sealed record Activity(Guid Id, string Kind, string Title, string Place, DateTimeOffset StartsAt, DateTimeOffset EndsAt, IReadOnlyList<string> TargetGroups);

public sealed record CommunicationPlanEntry(Guid Id, string Phase, string Channel, IReadOnlyList<string> TargetGroups, string When);

public sealed record CommunicationPlanPhase(string Phase, IReadOnlyList<CommunicationPlanEntry> Entries, IReadOnlyList<string> UnreachedTargetGroups);

public sealed record CommunicationPlan(Guid TrajectoryId, IReadOnlyList<CommunicationPlanPhase> Phases);

public sealed record SupportMeasurement(Guid Id, Guid TrajectoryId, string Title, string Status, int HomeCount, DateTimeOffset Deadline);

public sealed record SupportResult(
    Guid MeasurementId, string Status, bool Final, int Homes, int Votes, int Agreeing, int Disagreeing, int NotVoted, decimal ResponseRate,
    decimal AgreeingShare, int ThresholdPercent, bool ThresholdMet);
