using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Time;
using Participatie.Contracts;
using Participatie.Residents.AccessLog;
using Participatie.Residents.Areas;
using Participatie.Residents.Audiences;
using Participatie.Residents.Registration;
using Participatie.Residents.Residents;

namespace Participatie.Residents.Registry;

/// <summary>The partner side of the registry: list, update, move, and consent per purpose.</summary>
public static class RegistryApi
{
    public static RouteGroupBuilder MapResidentList(this RouteGroupBuilder api)
    {
        api.MapGet("", ListResidents)
            .WithName("ListResidents")
            .WithSummary("List the residents linked to the caller's partner, paged, searched by name or postcode; each listed resident's read is logged");
        return api;
    }

    /// <summary>Maps into the group of one linked resident (/v1/residents/{residentId}).</summary>
    public static RouteGroupBuilder MapRegistry(this RouteGroupBuilder resident)
    {
        resident.MapPatch("", UpdateResident)
            .WithName("UpdateResident")
            .WithSummary(
                "Change a resident's name, contact details, language, channel, digest, birth year or tenure; validated like a registration. " +
                "A changed e-mail address or phone number is used for delivery but not for sign-in until the resident confirms an address themselves")
            .ProducesProblem(StatusCodes.Status404NotFound);
        resident.MapPost("/moves", MoveResident)
            .WithName("MoveResident")
            .WithSummary(
                "Record that the resident moved to a new home (and buurt); the address history stays. " +
                "422 naming buurtCode when the new buurt lies outside the partner's areas")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        resident.MapGet("/addresses", GetAddresses)
            .WithName("GetResidentAddresses")
            .WithSummary("The resident's addresses, newest first; the read is logged")
            .ProducesProblem(StatusCodes.Status404NotFound);
        resident.MapGet("/consents", GetConsents)
            .WithName("GetResidentConsents")
            .WithSummary("The resident's consent per purpose and its history; the read is logged")
            .ProducesProblem(StatusCodes.Status404NotFound);
        resident.MapPut("/consents/{purpose}", PutConsent)
            .WithName("SetResidentConsent")
            .WithSummary("Record that the resident gave or withdrew consent for a purpose (participation, research, newsletter), when and how")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return resident;
    }

    internal static async Task<Ok<Page<ResidentListItem>>> ListResidents(
        [AsParameters] ResidentListQuery query, [AsParameters] PageQuery page, HttpContext httpContext, UnitOfWorkFactory unitOfWork, CancellationToken cancellationToken)
    {
        var search = query.Search?.Trim();
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var result = await work.Connection.QueryPageAsync<ResidentListItem>(page, new CommandDefinition(
            """
            SELECT r.id, r.full_name AS FullName, r.postcode, r.house_number AS HouseNumber, r.house_number_suffix AS HouseNumberSuffix,
                   r.buurt_code AS BuurtCode
            FROM residents r JOIN resident_partners p ON p.resident_id = r.id AND p.partner_id = @PartnerId
            WHERE @Search::text IS NULL OR r.full_name ILIKE '%' || @Search || '%' OR r.postcode LIKE @PostcodePrefix || '%'
            ORDER BY r.full_name, r.id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM residents r JOIN resident_partners p ON p.resident_id = r.id AND p.partner_id = @PartnerId
            WHERE @Search::text IS NULL OR r.full_name ILIKE '%' || @Search || '%' OR r.postcode LIKE @PostcodePrefix || '%';
            """,
            new
            {
                PartnerId = httpContext.User.GetPartnerId(),
                Search = search is null ? null : EscapeLike(search),
                // "1234 ab" finds postcode 1234AB; "1234" finds the whole 1234 area.
                PostcodePrefix = search is null ? null : EscapeLike(search.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant()),
                page.Offset,
                page.Size,
            },
            work.Transaction, cancellationToken: cancellationToken));
        // Names and addresses in a list are personal data read like any other: one entry per listed resident.
        if (result.Items.Count > 0)
        {
            await AccessLogStore.LogManyAsync(
                work, [.. result.Items.Select(item => item.Id)], AccessLogCaller.From(httpContext.User), "read", "list", cancellationToken);
        }

        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(result);
    }

    internal static async Task<Results<Ok<ResidentResponse>, ValidationProblem>> UpdateResident(
        LinkedResident linked, UpdateResidentRequest request, HttpContext httpContext, UnitOfWorkFactory unitOfWork, TimeProvider clock,
        ResidentSnapshots snapshots, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var current = await LockAsync(work, linked.Id, cancellationToken);
        // The result must be a resident a registration would accept: each field is checked, and so is the whole (an
        // e-mail channel needs an e-mail address).
        var merged = new RegisterResidentRequest(
            request.FullName ?? current.FullName, current.Postcode, current.HouseNumber, current.HouseNumberSuffix, current.BuurtCode,
            request.Email ?? current.Email, request.PhoneNumber ?? current.PhoneNumber,
            request.PreferredLanguage ?? current.PreferredLanguage, request.PreferredChannel ?? current.PreferredChannel,
            request.BirthYear ?? current.BirthYear, request.Tenure ?? current.Tenure, current.Street, current.City,
            request.DigestFrequency ?? current.DigestFrequency);
        var errors = new ValidationErrors();
        merged.Validate(errors);
        if (!errors.IsEmpty)
        {
            return Invalid(errors);
        }

        var updated = merged.ToResident(current.Id, current.RegisteredAt, current.RegisteredByPartnerId);
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE residents SET full_name = @FullName, email = @Email, phone_number = @PhoneNumber, email_normalised = @EmailNormalised,
                   phone_normalised = @PhoneNormalised, preferred_language = @PreferredLanguage, preferred_channel = @PreferredChannel,
                   digest_frequency = @DigestFrequency, birth_year = @BirthYear, tenure = @Tenure,
                   -- A new address is worth trying again; an unchanged one keeps its mark.
                   email_undeliverable_at = CASE WHEN email IS DISTINCT FROM @Email THEN NULL ELSE email_undeliverable_at END,
                   phone_undeliverable_at = CASE WHEN phone_number IS DISTINCT FROM @PhoneNumber THEN NULL ELSE phone_undeliverable_at END,
                   -- A partner's new address serves delivery, not sign-in: only the resident's own confirmation opens it again.
                   email_sign_in_confirmed = email_sign_in_confirmed AND email_normalised IS NOT DISTINCT FROM @EmailNormalised,
                   phone_sign_in_confirmed = phone_sign_in_confirmed AND phone_normalised IS NOT DISTINCT FROM @PhoneNormalised
            WHERE id = @Id
            """,
            new
            {
                updated.Id, updated.FullName, updated.Email, updated.PhoneNumber, updated.EmailNormalised, updated.PhoneNormalised,
                updated.PreferredLanguage, updated.PreferredChannel, updated.DigestFrequency, updated.BirthYear, updated.Tenure,
            },
            work.Transaction, cancellationToken: cancellationToken));
        await AccessLogStore.LogAsync(work, linked.Id, AccessLogCaller.From(httpContext.User), "update", "update", cancellationToken);
        await snapshots.PublishAsync(work, [linked.Id], clock.GetUtcNow(), cancellationToken);
        var result = await ResidentQueries.GetAsync(work, linked.Id, cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(result);
    }

    internal static async Task<Results<Ok<AddressHistory>, ProblemHttpResult>> MoveResident(
        LinkedResident linked, MoveResidentRequest request, HttpContext httpContext, UnitOfWorkFactory unitOfWork, TimeProvider clock,
        ResidentSnapshots snapshots, HomeAnnouncements homes, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var movedAt = request.MovedAt ?? now;
        var postcode = AddressKeys.NormalisePostcode(request.Postcode)!;
        var suffix = string.IsNullOrEmpty(request.HouseNumberSuffix) ? null : request.HouseNumberSuffix;
        var addressKey = AddressKeys.Key(postcode, request.HouseNumber, suffix);

        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        // A move is a registration at the new home: a partner may not take a resident into a buurt it could not
        // register them in (and so reach them there with its consultations). The operator is not confined.
        var areas = await CallerAreas.LoadAsync(work.Connection, work.Transaction, httpContext.User, cancellationToken);
        if (!areas.Includes(request.BuurtCode!))
        {
            return CallerAreas.RefuseRegistration(request.BuurtCode!);
        }

        var current = await LockAsync(work, linked.Id, cancellationToken);
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE resident_addresses SET lived_until = @MovedAt WHERE resident_id = @Id AND lived_until IS NULL;
            INSERT INTO resident_addresses (resident_id, postcode, house_number, house_number_suffix, street, city, buurt_code, address_key, lived_from)
            VALUES (@Id, @Postcode, @HouseNumber, @Suffix, @Street, @City, @BuurtCode, @AddressKey, @MovedAt);
            UPDATE residents SET postcode = @Postcode, house_number = @HouseNumber, house_number_suffix = @Suffix, street = @Street,
                   city = @City, buurt_code = @BuurtCode, address_key = @AddressKey
            WHERE id = @Id;
            """,
            new
            {
                linked.Id, MovedAt = movedAt, Postcode = postcode, request.HouseNumber, Suffix = suffix, Street = request.Street?.Trim(),
                City = request.City?.Trim(), request.BuurtCode, AddressKey = addressKey,
            },
            work.Transaction, cancellationToken: cancellationToken));
        await AccessLogStore.LogAsync(work, linked.Id, AccessLogCaller.From(httpContext.User), "update", "move", cancellationToken);
        await snapshots.PublishAsync(work, [linked.Id], now, cancellationToken);
        // At the new home the resident is now part of what is meant for it; the old home's measurements lose them.
        await AddressScopedAudiences.AnnounceNewcomersAsync(work, [(linked.Id, addressKey)], cancellationToken);
        await homes.AnnounceAsync(work, [current.AddressKey, addressKey], now, cancellationToken);
        var history = await ResidentQueries.AddressesAsync(work, linked.Id, cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(history);
    }

    internal static async Task<Ok<AddressHistory>> GetAddresses(
        LinkedResident linked, HttpContext httpContext, UnitOfWorkFactory unitOfWork, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var history = await ResidentQueries.AddressesAsync(work, linked.Id, cancellationToken);
        await AccessLogStore.LogAsync(work, linked.Id, AccessLogCaller.From(httpContext.User), "read", "address history", cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(history);
    }

    internal static async Task<Ok<ResidentConsents>> GetConsents(
        LinkedResident linked, HttpContext httpContext, UnitOfWorkFactory unitOfWork, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var consents = await ResidentQueries.ConsentsAsync(work, linked.Id, cancellationToken);
        await AccessLogStore.LogAsync(work, linked.Id, AccessLogCaller.From(httpContext.User), "read", "consents", cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(consents);
    }

    internal static async Task<Ok<ResidentConsents>> PutConsent(
        LinkedResident linked, [AsParameters] ConsentPurposeRoute route, ConsentRequest request, HttpContext httpContext,
        UnitOfWorkFactory unitOfWork, TimeProvider clock, ResidentSnapshots snapshots, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var caller = AccessLogCaller.From(httpContext.User);
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        await LockAsync(work, linked.Id, cancellationToken);
        await ResidentQueries.RecordConsentAsync(
            work, linked.Id, route.Purpose!, request.Given!.Value, request.Channel!, request.GivenAt ?? AmsterdamToday(now), now, caller.AccessedBy,
            cancellationToken);
        await AccessLogStore.LogAsync(work, linked.Id, caller, "update", $"consent {route.Purpose}", cancellationToken);
        await snapshots.PublishAsync(work, [linked.Id], now, cancellationToken);
        var consents = await ResidentQueries.ConsentsAsync(work, linked.Id, cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(consents);
    }

    /// <summary>
    /// Reads the resident with their row locked, so that concurrent changes of one resident take turns; a resident
    /// erased by a concurrent request since the access check is a 404.
    /// </summary>
    internal static async Task<ResidentResponse> LockAsync(UnitOfWork work, Guid residentId, CancellationToken cancellationToken) =>
        await work.Connection.QuerySingleOrDefaultAsync<ResidentResponse>(new CommandDefinition(
            $"SELECT {ResidentQueries.ResidentColumns} FROM residents WHERE id = @ResidentId FOR UPDATE",
            new { ResidentId = residentId }, work.Transaction, cancellationToken: cancellationToken))
        ?? throw new GoneMeanwhileException("residentId", "The resident no longer exists: erased meanwhile.");

    internal static DateOnly AmsterdamToday(DateTimeOffset now) => DateOnly.FromDateTime(AmsterdamClock.ToAmsterdam(now).DateTime);

    internal static ValidationProblem Invalid(ValidationErrors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(), title: "The request is not valid.", type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1");

    private static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
