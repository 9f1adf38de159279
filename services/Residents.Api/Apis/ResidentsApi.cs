using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;
using Participatie.Residents.Domain;

namespace Participatie.Residents.Apis;

public static class ResidentsApi
{
    public static IEndpointRouteBuilder MapResidentsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/residents", "Residents");

        api.MapPost("", RegisterResident)
            .WithName("RegisterResident")
            .WithSummary("Register a resident at an address in a buurt, with a preferred language and channel");
        api.MapGet("/aggregates", GetAggregates)
            .WithName("GetResidentAggregates")
            .WithSummary("Count the residents of a buurt by language and channel: what every partner may see");
        api.MapGet("/{residentId:guid}", GetResident)
            .WithName("GetResident")
            .WithSummary("Read a resident's personal data (the partner that registered the resident); every read is logged")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{residentId:guid}/access-log", GetAccessLog)
            .WithName("GetResidentAccessLog")
            .WithSummary("List who read or changed this resident's personal data, newest first")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    internal static async Task<Created<ResidentResponse>> RegisterResident(
        RegisterResidentRequest request, HttpContext httpContext, UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        var resident = new ResidentResponse
        {
            Id = Guid.CreateVersion7(),
            FullName = request.FullName!.Trim(),
            Postcode = AddressKeys.NormalisePostcode(request.Postcode)!,
            HouseNumber = request.HouseNumber,
            HouseNumberSuffix = request.HouseNumberSuffix,
            BuurtCode = request.BuurtCode!,
            Email = request.Email,
            PhoneNumber = request.PhoneNumber,
            PreferredLanguage = request.PreferredLanguage!,
            PreferredChannel = request.PreferredChannel!,
            BirthYear = request.BirthYear,
            Tenure = request.Tenure,
            RegisteredAt = clock.GetUtcNow(),
            RegisteredByPartnerId = httpContext.User.GetPartnerId()!.Value,
        };

        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO residents (id, full_name, postcode, house_number, house_number_suffix, buurt_code,
                                   email, phone_number, preferred_language, preferred_channel, birth_year, tenure,
                                   registered_at, registered_by_partner_id, address_key)
            VALUES (@Id, @FullName, @Postcode, @HouseNumber, @HouseNumberSuffix, @BuurtCode,
                    @Email, @PhoneNumber, @PreferredLanguage, @PreferredChannel, @BirthYear, @Tenure,
                    @RegisteredAt, @RegisteredByPartnerId, @AddressKey)
            """,
            new
            {
                resident.Id, resident.FullName, resident.Postcode, resident.HouseNumber, resident.HouseNumberSuffix, resident.BuurtCode,
                resident.Email, resident.PhoneNumber, resident.PreferredLanguage, resident.PreferredChannel, resident.BirthYear,
                resident.Tenure, resident.RegisteredAt, resident.RegisteredByPartnerId,
                AddressKey = AddressKeys.Key(resident.Postcode, resident.HouseNumber, resident.HouseNumberSuffix),
            },
            work.Transaction, cancellationToken: cancellationToken));
        await LogAccessAsync(work, resident.Id, httpContext, "registered", "registration", cancellationToken);
        // Other services learn only the pseudonymous id and how to reach the resident, never who or where.
        await work.PublishAsync(new ResidentRegistered(
            resident.Id,
            resident.BuurtCode,
            resident.PreferredLanguage,
            resident.PreferredChannel,
            resident.RegisteredAt,
            AgeBands.Of(resident.BirthYear, resident.RegisteredAt.Year),
            resident.Tenure ?? Tenures.Unknown),
            cancellationToken);
        // A consultation already meant for this address reaches the new resident too.
        var consultations = await work.Connection.QueryAsync<(Guid ConsultationId, Guid TrajectoryId)>(new CommandDefinition(
            """
            SELECT c.consultation_id, c.trajectory_id
            FROM address_scoped_consultation_keys k JOIN address_scoped_consultations c ON c.consultation_id = k.consultation_id
            WHERE k.address_key = @AddressKey
            """,
            new { AddressKey = AddressKeys.Key(resident.Postcode, resident.HouseNumber, resident.HouseNumberSuffix) },
            work.Transaction, cancellationToken: cancellationToken));
        foreach (var (consultationId, trajectoryId) in consultations)
        {
            await work.PublishAsync(new ConsultationAudienceResolved(consultationId, trajectoryId, [resident.Id]), cancellationToken);
        }

        await work.CommitAsync(cancellationToken);

        return TypedResults.Created($"/v1/residents/{resident.Id}", resident);
    }

    internal static async Task<Results<Ok<ResidentResponse>, ProblemHttpResult>> GetResident(
        Guid residentId,
        [FromQuery] string? purpose,
        HttpContext httpContext,
        UnitOfWorkFactory unitOfWork,
        CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var resident = await work.Connection.QuerySingleOrDefaultAsync<ResidentResponse>(new CommandDefinition(
            """
            SELECT id, full_name AS FullName, postcode, house_number AS HouseNumber,
                   house_number_suffix AS HouseNumberSuffix, buurt_code AS BuurtCode, email,
                   phone_number AS PhoneNumber, preferred_language AS PreferredLanguage,
                   preferred_channel AS PreferredChannel, birth_year AS BirthYear, tenure, registered_at AS RegisteredAt,
                   registered_by_partner_id AS RegisteredByPartnerId
            FROM residents WHERE id = @ResidentId AND registered_by_partner_id = @PartnerId
            """,
            new { ResidentId = residentId, PartnerId = httpContext.User.GetPartnerId() }, work.Transaction, cancellationToken: cancellationToken));
        if (resident is null)
        {
            // Another partner's resident is, to the caller, no resident at all.
            return Problems.NotFound("resident", residentId);
        }

        // The read and its record commit together: no personal data leaves without a trace.
        await LogAccessAsync(work, residentId, httpContext, "read", purpose ?? "unspecified", cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(resident);
    }

    internal static async Task<Ok<ResidentAggregates>> GetAggregates(
        [AsParameters] AggregatesQuery query, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<(string Dimension, string Value, int Count)>(new CommandDefinition(
            """
            SELECT 'language', preferred_language, count(*)::int FROM residents WHERE buurt_code = @BuurtCode GROUP BY preferred_language
            UNION ALL
            SELECT 'channel', preferred_channel, count(*)::int FROM residents WHERE buurt_code = @BuurtCode GROUP BY preferred_channel
            """,
            new { query.BuurtCode }, cancellationToken: cancellationToken))).AsList();
        Dictionary<string, int> Of(string dimension) =>
            rows.Where(row => row.Dimension == dimension).ToDictionary(row => row.Value, row => row.Count, StringComparer.Ordinal);
        var byLanguage = Of("language");
        return TypedResults.Ok(new ResidentAggregates(query.BuurtCode!, byLanguage.Values.Sum(), byLanguage, Of("channel")));
    }

    private static Task LogAccessAsync(
        UnitOfWork work, Guid residentId, HttpContext httpContext, string action, string purpose, CancellationToken cancellationToken) =>
        work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO personal_data_access_log (resident_id, action, accessed_by, partner_id, client_id, purpose)
            VALUES (@ResidentId, @Action, @AccessedBy, @PartnerId, @ClientId, @Purpose)
            """,
            new
            {
                ResidentId = residentId,
                Action = action,
                AccessedBy = Caller(httpContext),
                PartnerId = httpContext.User.GetPartnerId(),
                ClientId = httpContext.User.GetClientId(),
                Purpose = purpose,
            },
            work.Transaction, cancellationToken: cancellationToken));

    internal static async Task<Results<Ok<Page<AccessLogEntry>>, ProblemHttpResult>> GetAccessLog(
        Guid residentId, [AsParameters] PageQuery page, ClaimsPrincipal user, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM residents WHERE id = @ResidentId AND registered_by_partner_id = @PartnerId)",
            new { ResidentId = residentId, PartnerId = user.GetPartnerId() }, cancellationToken: cancellationToken));
        if (!exists)
        {
            return Problems.NotFound("resident", residentId);
        }

        return TypedResults.Ok(await connection.QueryPageAsync<AccessLogEntry>(page, new CommandDefinition(
            """
            SELECT action, accessed_by AS AccessedBy, partner_id AS PartnerId, client_id AS ClientId, purpose, accessed_at AS AccessedAt
            FROM personal_data_access_log WHERE resident_id = @ResidentId
            ORDER BY id DESC OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM personal_data_access_log WHERE resident_id = @ResidentId;
            """,
            new { ResidentId = residentId, page.Offset, page.Size }, cancellationToken: cancellationToken)));
    }

    /// <summary>Who read: the partner and its client, from the validated access token.</summary>
    private static string Caller(HttpContext httpContext) =>
        httpContext.User.GetPartnerId() is { } partnerId
            ? $"partner {partnerId} (client {httpContext.User.GetClientId()})"
            : $"platform operator (client {httpContext.User.GetClientId()})";
}

public sealed record RegisterResidentRequest(
    string? FullName,
    string? Postcode,
    int HouseNumber,
    string? HouseNumberSuffix,
    string? BuurtCode,
    string? Email,
    string? PhoneNumber,
    string? PreferredLanguage,
    string? PreferredChannel,
    int? BirthYear = null,
    string? Tenure = null) : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("fullName", FullName))
        {
            errors.MaxLength("fullName", FullName, 200);
        }

        if (errors.Required("postcode", Postcode) && AddressKeys.NormalisePostcode(Postcode) is null)
        {
            errors.Add("postcode", "'postcode' must be a Dutch postcode such as '1234 AB'.");
        }

        if (HouseNumber is < 1 or > 99999)
        {
            errors.Add("houseNumber", "'houseNumber' must be between 1 and 99999.");
        }

        errors.MaxLength("houseNumberSuffix", HouseNumberSuffix, 10);
        if (errors.Required("buurtCode", BuurtCode) && !BuurtCodes.IsValid(BuurtCode))
        {
            errors.Add("buurtCode", "'buurtCode' must be a CBS buurt code such as 'BU03630001'.");
        }

        errors.OneOf("preferredLanguage", PreferredLanguage, Languages.All);
        errors.OneOf("preferredChannel", PreferredChannel, Channels.All);
        if (Email is not null && !ContactDetails.IsEmail(Email))
        {
            errors.Add("email", "'email' is not an e-mail address.");
        }

        if (PhoneNumber is not null && !ContactDetails.IsPhoneNumber(PhoneNumber))
        {
            errors.Add("phoneNumber", "'phoneNumber' must be a phone number such as '+31612345678'.");
        }

        if (BirthYear is { } year && (year < 1900 || year > DateTime.UtcNow.Year))
        {
            errors.Add("birthYear", $"'birthYear' must be between 1900 and {DateTime.UtcNow.Year}.");
        }

        if (Tenure is not null)
        {
            errors.OneOf("tenure", Tenure, Tenures.Known);
        }

        // A resident must be reachable through the channel they chose.
        if (PreferredChannel == Channels.Email && Email is null)
        {
            errors.Add("email", "'email' is required when the preferred channel is 'email'.");
        }

        if (PreferredChannel == Channels.Sms && PhoneNumber is null)
        {
            errors.Add("phoneNumber", "'phoneNumber' is required when the preferred channel is 'sms'.");
        }
    }
}

public sealed record ResidentResponse
{
    public required Guid Id { get; init; }

    public required string FullName { get; init; }

    public required string Postcode { get; init; }

    public required int HouseNumber { get; init; }

    public string? HouseNumberSuffix { get; init; }

    public required string BuurtCode { get; init; }

    public string? Email { get; init; }

    public string? PhoneNumber { get; init; }

    public required string PreferredLanguage { get; init; }

    public required string PreferredChannel { get; init; }

    public int? BirthYear { get; init; }

    /// <summary>tenant or owner-occupier, when known.</summary>
    public string? Tenure { get; init; }

    public required DateTimeOffset RegisteredAt { get; init; }

    /// <summary>The partner that registered the resident and holds their personal data.</summary>
    public required Guid RegisteredByPartnerId { get; init; }
}

public sealed record AggregatesQuery : IValidatableRequest
{
    [FromQuery(Name = "buurtCode")]
    public string? BuurtCode { get; init; }

    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("buurtCode", BuurtCode) && !BuurtCodes.IsValid(BuurtCode))
        {
            errors.Add("buurtCode", "'buurtCode' must be a CBS buurt code such as 'BU03630001'.");
        }
    }
}

/// <summary>How many residents of a buurt prefer which language and channel; no one in it can be told apart.</summary>
public sealed record ResidentAggregates(
    string BuurtCode, int Residents, IReadOnlyDictionary<string, int> ByLanguage, IReadOnlyDictionary<string, int> ByChannel);

public sealed record AccessLogEntry
{
    /// <summary>'registered' or 'read'.</summary>
    public required string Action { get; init; }

    public required string AccessedBy { get; init; }

    public Guid? PartnerId { get; init; }

    public string? ClientId { get; init; }

    public required string Purpose { get; init; }

    public required DateTimeOffset AccessedAt { get; init; }
}
