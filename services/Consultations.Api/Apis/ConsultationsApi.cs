using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Consultations.Domain;
using Participatie.Contracts;

namespace Participatie.Consultations.Apis;

public static class ConsultationsApi
{
    internal const string SelectConsultation = """
        SELECT id, trajectory_id AS TrajectoryId, partner_id AS PartnerId, address_scoped AS AddressScoped, title, description, buurt_code AS BuurtCode,
               closes_on AS ClosesOn, opened_at AS OpenedAt
        FROM consultations
        """;

    public static IEndpointRouteBuilder MapConsultationsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/consultations", "Consultations");

        api.MapPost("", OpenConsultation)
            .WithName("OpenConsultation")
            .WithSummary("Open a consultation in a trajectory for the residents of one of its buurten; they are notified in their own language")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("", ListConsultations)
            .WithName("ListConsultations")
            .WithSummary("List the consultations of the trajectories the caller takes part in, newest first, optionally for one buurt");
        api.MapGet("/{consultationId:guid}", GetConsultation)
            .WithName("GetConsultation")
            .WithSummary("Read one consultation")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/trajectories/{trajectoryId:guid}/settings", GetTrajectorySettings)
            .WithName("GetTrajectorySettings")
            .WithSummary("Read a trajectory's consultation settings: within how many working days reactions are answered")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/trajectories/{trajectoryId:guid}/settings", SetTrajectorySettings)
            .WithName("SetTrajectorySettings")
            .WithSummary("Set within how many working days (1 to 60) reactions in a trajectory are answered (its lead and co-owners); reactions received from now on get that deadline")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    internal static async Task<Results<Created<ConsultationResponse>, ProblemHttpResult>> OpenConsultation(
        OpenConsultationRequest request,
        ClaimsPrincipal user,
        TrajectoryDirectory trajectories,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var (trajectory, problem) = await ConsultationAccess.ContributingTrajectoryAsync(trajectories, request.TrajectoryId, "consultations", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!trajectory.BuurtCodes.Contains(request.BuurtCode!, StringComparer.Ordinal))
        {
            return Problems.Unprocessable("buurtCode", $"Buurt '{request.BuurtCode}' is not part of this trajectory.");
        }

        if (request.ClosesOn!.Value < DutchCalendar.Today(clock))
        {
            return Problems.Unprocessable("closesOn", "'closesOn' must be today or later.");
        }

        var consultation = new ConsultationResponse
        {
            Id = Guid.CreateVersion7(),
            TrajectoryId = trajectory.Id,
            // The partner that opens a consultation owns it.
            PartnerId = user.GetPartnerId()!.Value,
            Title = request.Title!.Trim(),
            Description = request.Description!.Trim(),
            BuurtCode = request.BuurtCode!,
            ClosesOn = request.ClosesOn.Value,
            AddressScoped = request.Addresses is { Count: > 0 },
            OpenedAt = clock.GetUtcNow(),
        };

        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO consultations (id, trajectory_id, partner_id, address_scoped, title, description, buurt_code, closes_on, opened_at)
            VALUES (@Id, @TrajectoryId, @PartnerId, @AddressScoped, @Title, @Description, @BuurtCode, @ClosesOn, @OpenedAt)
            """,
            consultation, work.Transaction, cancellationToken: cancellationToken));
        var addressKeys = request.AddressKeys();
        if (addressKeys.Count > 0)
        {
            await work.Connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO consultation_addresses (consultation_id, address_key) SELECT @Id, unnest(@Keys)",
                new { consultation.Id, Keys = addressKeys.ToArray() }, work.Transaction, cancellationToken: cancellationToken));
        }

        await work.PublishAsync(new ConsultationOpened(
            consultation.Id, consultation.TrajectoryId, consultation.PartnerId, consultation.Title, consultation.BuurtCode, consultation.ClosesOn,
            consultation.OpenedAt, addressKeys.Count > 0 ? addressKeys : null),
            cancellationToken);
        await work.CommitAsync(cancellationToken);

        return TypedResults.Created($"/v1/consultations/{consultation.Id}", consultation);
    }

    internal static async Task<Ok<Page<ConsultationResponse>>> ListConsultations(
        [FromQuery] string? buurtCode,
        [AsParameters] PageQuery page,
        TrajectoryDirectory trajectories,
        NpgsqlDataSource database,
        CancellationToken cancellationToken)
    {
        var mine = (await trajectories.MineAsync(cancellationToken)).Select(trajectory => trajectory.Id).ToArray();
        const string filter = "trajectory_id = ANY(@Trajectories) AND (@BuurtCode::text IS NULL OR buurt_code = @BuurtCode)";
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(await connection.QueryPageAsync<ConsultationResponse>(page, new CommandDefinition(
            $"""
            {SelectConsultation} WHERE {filter}
            ORDER BY opened_at DESC, id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM consultations WHERE {filter};
            """,
            new { Trajectories = mine, BuurtCode = buurtCode, page.Offset, page.Size }, cancellationToken: cancellationToken)));
    }

    internal static async Task<Results<Ok<ConsultationResponse>, ProblemHttpResult>> GetConsultation(
        Guid consultationId, TrajectoryDirectory trajectories, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var visible = await ConsultationAccess.FindVisibleAsync(connection, null, consultationId, trajectories, cancellationToken);
        return visible is null ? Problems.NotFound("consultation", consultationId) : TypedResults.Ok(visible.Consultation);
    }

    internal static async Task<Results<Ok<TrajectorySettingsResponse>, ProblemHttpResult>> GetTrajectorySettings(
        Guid trajectoryId, TrajectoryDirectory trajectories, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        if ((await trajectories.FindAsync(trajectoryId, cancellationToken))?.MyRole is null)
        {
            return Problems.NotFound("trajectory", trajectoryId);
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(await FindSettingsAsync(connection, null, trajectoryId, cancellationToken));
    }

    internal static async Task<Results<Ok<TrajectorySettingsResponse>, ProblemHttpResult>> SetTrajectorySettings(
        Guid trajectoryId,
        SetTrajectorySettingsRequest request,
        ClaimsPrincipal user,
        TrajectoryDirectory trajectories,
        UnitOfWorkFactory unitOfWork,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var role = (await trajectories.FindAsync(trajectoryId, cancellationToken))?.MyRole;
        if (role is null)
        {
            return Problems.NotFound("trajectory", trajectoryId);
        }

        // What the trajectory promises its residents is the lead's (and co-owners') to say.
        if (!TrajectoryRoles.CanManageMembers(role))
        {
            return Problems.Forbidden($"A partner with role '{role}' cannot change this trajectory's settings.");
        }

        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO trajectory_settings (trajectory_id, answer_working_days, updated_by_partner_id, updated_at)
            VALUES (@TrajectoryId, @AnswerWorkingDays, @PartnerId, @Now)
            ON CONFLICT (trajectory_id) DO UPDATE
            SET answer_working_days = excluded.answer_working_days,
                updated_by_partner_id = excluded.updated_by_partner_id,
                updated_at = excluded.updated_at
            """,
            new { TrajectoryId = trajectoryId, request.AnswerWorkingDays, PartnerId = user.GetPartnerId(), Now = clock.GetUtcNow() },
            work.Transaction, cancellationToken: cancellationToken));
        var settings = await FindSettingsAsync(work.Connection, work.Transaction, trajectoryId, cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(settings);
    }

    /// <summary>Within how many working days reactions in the trajectory are answered.</summary>
    internal static async Task<int> AnswerWorkingDaysAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid trajectoryId, CancellationToken cancellationToken) =>
        (await FindSettingsAsync(connection, transaction, trajectoryId, cancellationToken)).AnswerWorkingDays;

    private static async Task<TrajectorySettingsResponse> FindSettingsAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid trajectoryId, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<TrajectorySettingsResponse>(new CommandDefinition(
            """
            SELECT trajectory_id AS TrajectoryId, answer_working_days AS AnswerWorkingDays, updated_at AS UpdatedAt
            FROM trajectory_settings WHERE trajectory_id = @TrajectoryId
            """,
            new { TrajectoryId = trajectoryId }, transaction, cancellationToken: cancellationToken))
        ?? new TrajectorySettingsResponse { TrajectoryId = trajectoryId, AnswerWorkingDays = AnswerDeadlines.DefaultWorkingDays };

    internal static Task<ConsultationResponse?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid consultationId, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<ConsultationResponse>(new CommandDefinition(
            $"{SelectConsultation} WHERE id = @ConsultationId",
            new { ConsultationId = consultationId }, transaction, cancellationToken: cancellationToken));
}

/// <summary>A home a consultation is meant for.</summary>
public sealed record ConsultationAddress(string? Postcode, int HouseNumber, string? HouseNumberSuffix);

public sealed record OpenConsultationRequest(
    Guid TrajectoryId,
    string? Title,
    string? Description,
    string? BuurtCode,
    DateOnly? ClosesOn,
    IReadOnlyList<ConsultationAddress>? Addresses = null) : IValidatableRequest
{
    public const int MaximumAddresses = 5000;

    /// <summary>The address keys of the homes it is meant for; none means the whole buurt.</summary>
    public IReadOnlyList<string> AddressKeys() =>
        [.. (Addresses ?? []).Select(address => Contracts.AddressKeys.Key(address.Postcode, address.HouseNumber, address.HouseNumberSuffix)!)
            .Distinct(StringComparer.Ordinal)];

    public void Validate(ValidationErrors errors)
    {
        if (Addresses is { Count: > MaximumAddresses })
        {
            errors.Add("addresses", $"'addresses' may name at most {MaximumAddresses} homes.");
        }

        for (var i = 0; i < (Addresses?.Count ?? 0); i++)
        {
            var address = Addresses![i];
            if (Contracts.AddressKeys.Key(address.Postcode, address.HouseNumber, address.HouseNumberSuffix) is null)
            {
                errors.Add($"addresses[{i}]", $"'addresses[{i}]' is not a Dutch address (postcode such as '1234 AB', house number 1 to 99999).");
            }
        }

        errors.NotEmpty("trajectoryId", TrajectoryId);
        if (errors.Required("title", Title))
        {
            errors.MaxLength("title", Title, 200);
        }

        if (errors.Required("description", Description))
        {
            errors.MaxLength("description", Description, 4000);
        }

        if (errors.Required("buurtCode", BuurtCode) && !BuurtCodes.IsValid(BuurtCode))
        {
            errors.Add("buurtCode", "'buurtCode' must be a CBS buurt code such as 'BU03630001'.");
        }

        if (ClosesOn is null)
        {
            errors.Add("closesOn", "'closesOn' is required.");
        }
    }
}

public sealed record SetTrajectorySettingsRequest(int? AnswerWorkingDays) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (AnswerWorkingDays is not (>= AnswerDeadlines.MinimumWorkingDays and <= AnswerDeadlines.MaximumWorkingDays))
        {
            errors.Add(
                "answerWorkingDays",
                $"'answerWorkingDays' must be a whole number from {AnswerDeadlines.MinimumWorkingDays} to {AnswerDeadlines.MaximumWorkingDays}.");
        }
    }
}

public sealed record TrajectorySettingsResponse
{
    public required Guid TrajectoryId { get; init; }

    /// <summary>Within how many working days (Monday to Friday, not on Dutch public holidays) a reaction is answered.</summary>
    public required int AnswerWorkingDays { get; init; }

    /// <summary>When a partner last set them; null while the trajectory has the defaults.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
}

public sealed record ConsultationResponse
{
    public required Guid Id { get; init; }

    public required Guid TrajectoryId { get; init; }

    /// <summary>The partner that opened the consultation and owns it.</summary>
    public required Guid PartnerId { get; init; }

    /// <summary>Meant only for the homes at a list of addresses in the buurt, not for the whole buurt.</summary>
    public bool AddressScoped { get; init; }

    public required string Title { get; init; }

    public required string Description { get; init; }

    public required string BuurtCode { get; init; }

    public required DateOnly ClosesOn { get; init; }

    public required DateTimeOffset OpenedAt { get; init; }
}
