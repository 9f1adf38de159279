using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;
using Participatie.Residents.AccessLog;
using Participatie.Residents.DataRights;
using Participatie.Residents.Registry;

namespace Participatie.Residents.Me;

/// <summary>The resident signed in with their own token (scope resident, subject their id).</summary>
public sealed record SignedInResident(Guid Id, string? ClientId)
{
    public static ValueTask<SignedInResident?> BindAsync(HttpContext context) => RouteAccess.Loaded<SignedInResident>(context);

    /// <summary>The resident reads or changes their own data; the log says so, with the client they used.</summary>
    public AccessLogCaller Caller => new($"resident {Id} (client {ClientId})", null, ClientId);
}

/// <summary>
/// The route has no id: the resident is the token's subject, so no resident can name another. A resident no longer
/// known (erased) gets 404.
/// </summary>
public sealed class SignedInResidentCheck(NpgsqlDataSource database) : IRouteAccessCheck
{
    public async Task<IResult?> CheckAsync(HttpContext context)
    {
        if (context.User.GetResidentId() is not { } residentId)
        {
            return Problems.Forbidden("Only a resident's own token opens /v1/me.");
        }

        await using var connection = await database.OpenConnectionAsync(context.RequestAborted);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM residents WHERE id = @Id)", new { Id = residentId }, cancellationToken: context.RequestAborted)))
        {
            return Problems.NotFound("resident", residentId);
        }

        RouteAccess.Admit(context, new SignedInResident(residentId, context.User.GetClientId()));
        return null;
    }
}

/// <summary>The resident's own settings under /v1/me: their data, preferences, consents and contact details.</summary>
public static class MeApi
{
    public const int CodeAttempts = 5;
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(15);

    public static IEndpointRouteBuilder MapMeApi(this IEndpointRouteBuilder routes)
    {
        var me = routes.MapApiGroup("/v1/me", "Me", AuthenticationExtensions.ResidentPolicy)
            .WithAccessCheck<SignedInResidentCheck>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        me.MapGet("", GetMe)
            .WithName("GetMe")
            .WithSummary("The signed-in resident's own data, preferences and consents; the read is logged");
        me.MapPut("/preferences", PutPreferences)
            .WithName("SetMyPreferences")
            .WithSummary("Set my language, channel, digest frequency and quiet hours");
        me.MapPut("/consents/{purpose}", PutConsent)
            .WithName("SetMyConsent")
            .WithSummary("Give or withdraw my consent for a purpose (participation, research, newsletter)");
        me.MapPost("/contact-details", RequestContactChange)
            .WithName("RequestMyContactChange")
            .WithSummary("Give a new e-mail address or phone number; a 6-digit code is sent to it, valid 10 minutes")
            .Produces<ContactConfirmationPending>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        me.MapPost("/contact-details/confirmations/{confirmationId:guid}", ConfirmContactChange)
            .WithName("ConfirmMyContactChange")
            .WithSummary("Confirm a new e-mail address or phone number with the code; 5 wrong codes lock it for 15 minutes")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return routes;
    }

    internal static async Task<Ok<MeResponse>> GetMe(
        SignedInResident resident, UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var me = await ReadAsync(work, resident.Id, cancellationToken);
        await AccessLogStore.LogAsync(work, resident.Id, resident.Caller, "read", "own data", cancellationToken);
        // A resident who signs in and looks is still taking part, whether or not they change anything.
        await ResidentActivity.RecordAsync(work, [resident.Id], clock.GetUtcNow(), cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(me);
    }

    internal static async Task<Results<Ok<MeResponse>, ValidationProblem>> PutPreferences(
        SignedInResident resident, PreferencesRequest request, UnitOfWorkFactory unitOfWork, TimeProvider clock, ResidentSnapshots snapshots,
        CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var current = await RegistryApi.LockAsync(work, resident.Id, cancellationToken);
        // A resident must be reachable through the channel they choose.
        var errors = new ValidationErrors();
        if (request.PreferredChannel == Channels.Email && current.Email is null)
        {
            errors.Add("preferredChannel", "U heeft nog geen e-mailadres gegeven. Geef eerst een e-mailadres. (There is no e-mail address yet.)");
        }

        if (request.PreferredChannel == Channels.Sms && current.PhoneNumber is null)
        {
            errors.Add("preferredChannel", "U heeft nog geen telefoonnummer gegeven. Geef eerst een telefoonnummer. (There is no phone number yet.)");
        }

        if (!errors.IsEmpty)
        {
            return RegistryApi.Invalid(errors);
        }

        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE residents SET preferred_language = @PreferredLanguage, preferred_channel = @PreferredChannel,
                   digest_frequency = @DigestFrequency, quiet_hours_start = @Start, quiet_hours_end = @End
            WHERE id = @Id
            """,
            new { resident.Id, request.PreferredLanguage, request.PreferredChannel, request.DigestFrequency, request.Start, request.End },
            work.Transaction, cancellationToken: cancellationToken));
        await AccessLogStore.LogAsync(work, resident.Id, resident.Caller, "update", "own preferences", cancellationToken);
        // Also when nothing changed (the trigger of migration 0011 counts only changes): the resident acted.
        await ResidentActivity.RecordAsync(work, [resident.Id], clock.GetUtcNow(), cancellationToken);
        await snapshots.PublishAsync(work, [resident.Id], clock.GetUtcNow(), cancellationToken);
        var me = await ReadAsync(work, resident.Id, cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(me);
    }

    internal static async Task<Ok<ResidentConsents>> PutConsent(
        SignedInResident resident, [AsParameters] ConsentPurposeRoute route, OwnConsentRequest request, UnitOfWorkFactory unitOfWork,
        TimeProvider clock, ResidentSnapshots snapshots, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        await RegistryApi.LockAsync(work, resident.Id, cancellationToken);
        await ResidentQueries.RecordConsentAsync(
            work, resident.Id, route.Purpose!, request.Given!.Value, ConsentChannels.ResidentPortal, RegistryApi.AmsterdamToday(now), now,
            resident.Caller.AccessedBy, cancellationToken);
        await AccessLogStore.LogAsync(work, resident.Id, resident.Caller, "update", $"own consent {route.Purpose}", cancellationToken);
        await ResidentActivity.RecordAsync(work, [resident.Id], now, cancellationToken);
        await snapshots.PublishAsync(work, [resident.Id], now, cancellationToken);
        var consents = await ResidentQueries.ConsentsAsync(work, resident.Id, cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(consents);
    }

    internal static async Task<IResult> RequestContactChange(
        SignedInResident resident, NewContactRequest request, HttpContext httpContext, UnitOfWorkFactory unitOfWork, TimeProvider clock,
        ResidentIdentifierSecret secret, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        await RegistryApi.LockAsync(work, resident.Id, cancellationToken);
        // A lock after five wrong codes holds for every new address too, or a new request would undo it.
        var lockedUntil = await work.Connection.ExecuteScalarAsync<DateTimeOffset?>(new CommandDefinition(
            "SELECT max(locked_until) FROM contact_confirmations WHERE resident_id = @Id AND locked_until > @Now",
            new { resident.Id, Now = now }, work.Transaction, cancellationToken: cancellationToken));
        if (lockedUntil is { } until)
        {
            return Locked(httpContext, until - now);
        }

        var confirmationId = Guid.CreateVersion7();
        var code = RandomNumberGenerator.GetInt32(1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        var expiresAt = now + CodeLifetime;
        await work.Connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO contact_confirmations (id, resident_id, channel, value, code_hash, requested_at, expires_at)
            VALUES (@ConfirmationId, @ResidentId, @Channel, @Value, @CodeHash, @Now, @ExpiresAt)
            """,
            new
            {
                ConfirmationId = confirmationId, ResidentId = resident.Id, request.Channel, request.Value,
                CodeHash = HashCode(secret, confirmationId, code), Now = now, ExpiresAt = expiresAt,
            },
            work.Transaction, cancellationToken: cancellationToken));
        await AccessLogStore.LogAsync(work, resident.Id, resident.Caller, "update", $"new {request.Channel} contact given, to confirm", cancellationToken);
        await ResidentActivity.RecordAsync(work, [resident.Id], now, cancellationToken);
        // The code travels only to be sent; the address stays here and is fetched by confirmation id at sending.
        await work.PublishAsync(new ContactConfirmationRequested(confirmationId, resident.Id, request.Channel, code, expiresAt, now), cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.Accepted($"/v1/me/contact-details/confirmations/{confirmationId}", new ContactConfirmationPending(confirmationId, request.Channel, expiresAt));
    }

    internal static async Task<IResult> ConfirmContactChange(
        SignedInResident resident, Guid confirmationId, ConfirmContactRequest request, HttpContext httpContext, UnitOfWorkFactory unitOfWork,
        TimeProvider clock, ResidentIdentifierSecret secret, ResidentSnapshots snapshots, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        var confirmation = await work.Connection.QuerySingleOrDefaultAsync<Confirmation>(new CommandDefinition(
            """
            SELECT id, channel, value, code_hash AS CodeHash, expires_at AS ExpiresAt, failed_attempts AS FailedAttempts,
                   locked_until AS LockedUntil, confirmed_at AS ConfirmedAt
            FROM contact_confirmations WHERE id = @ConfirmationId AND resident_id = @ResidentId
            FOR UPDATE
            """,
            new { ConfirmationId = confirmationId, ResidentId = resident.Id }, work.Transaction, cancellationToken: cancellationToken));
        if (confirmation is null)
        {
            // Another resident's confirmation is, to this one, no confirmation at all.
            return Problems.NotFound("confirmation", confirmationId);
        }

        if (confirmation.LockedUntil is { } lockedUntil && lockedUntil > now)
        {
            return Locked(httpContext, lockedUntil - now);
        }

        if (confirmation.ConfirmedAt is not null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Dit adres is al bevestigd. (Already confirmed.)",
                detail: $"Confirmation '{confirmationId}' was already used.",
                type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10");
        }

        if (confirmation.ExpiresAt <= now)
        {
            return Problems.Unprocessable("code", "De code is verlopen. Vraag een nieuwe code aan. (The code has expired; ask for a new one.)");
        }

        if (!CryptographicOperations.FixedTimeEquals(confirmation.CodeHash, HashCode(secret, confirmationId, request.Code!)))
        {
            var failed = confirmation.FailedAttempts + 1;
            DateTimeOffset? locks = failed >= CodeAttempts ? now + LockDuration : null;
            await work.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE contact_confirmations SET failed_attempts = @Failed, locked_until = @Locks WHERE id = @ConfirmationId",
                new { Failed = failed, Locks = locks, ConfirmationId = confirmationId }, work.Transaction, cancellationToken: cancellationToken));
            await work.CommitAsync(cancellationToken);
            return locks is not null
                ? Locked(httpContext, LockDuration)
                : Problems.Unprocessable("code", $"Deze code klopt niet. U kunt het nog {CodeAttempts - failed} keer proberen. (Wrong code; {CodeAttempts - failed} tries left.)");
        }

        var sql = confirmation.Channel == Channels.Email
            ? "UPDATE residents SET email = @Value, email_normalised = @Normalised, email_undeliverable_at = NULL, email_sign_in_confirmed = true WHERE id = @ResidentId"
            : "UPDATE residents SET phone_number = @Value, phone_normalised = @Normalised, phone_undeliverable_at = NULL, phone_sign_in_confirmed = true WHERE id = @ResidentId";
        var normalised = confirmation.Channel == Channels.Email
            ? ResidentIdentifierKeys.NormaliseEmail(confirmation.Value)
            : ResidentIdentifierKeys.NormalisePhone(confirmation.Value);
        await work.Connection.ExecuteAsync(new CommandDefinition(
            sql + "; UPDATE contact_confirmations SET confirmed_at = @Now WHERE id = @ConfirmationId",
            new { confirmation.Value, Normalised = normalised, ResidentId = resident.Id, Now = now, ConfirmationId = confirmationId },
            work.Transaction, cancellationToken: cancellationToken));
        await AccessLogStore.LogAsync(work, resident.Id, resident.Caller, "update", $"new {confirmation.Channel} contact confirmed", cancellationToken);
        await ResidentActivity.RecordAsync(work, [resident.Id], now, cancellationToken);
        await snapshots.PublishAsync(work, [resident.Id], now, cancellationToken);
        var me = await ReadAsync(work, resident.Id, cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(me);
    }

    private static IResult Locked(HttpContext httpContext, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Te vaak een verkeerde code. Probeer het over 15 minuten opnieuw. (Too many wrong codes.)",
            detail: $"Try again in {seconds} seconds.",
            type: "https://www.rfc-editor.org/rfc/rfc6585#section-4");
    }

    private static byte[] HashCode(ResidentIdentifierSecret secret, Guid confirmationId, string code) =>
        HMACSHA256.HashData(secret.Key, Encoding.UTF8.GetBytes($"contact-confirmation:{confirmationId}:{code}"));

    private static async Task<MeResponse> ReadAsync(UnitOfWork work, Guid residentId, CancellationToken cancellationToken)
    {
        var row = await work.Connection.QuerySingleAsync<MeRow>(new CommandDefinition(
            """
            SELECT id, full_name AS FullName, postcode, house_number AS HouseNumber, house_number_suffix AS HouseNumberSuffix, street, city,
                   buurt_code AS BuurtCode, email, phone_number AS PhoneNumber, preferred_language AS PreferredLanguage,
                   preferred_channel AS PreferredChannel, digest_frequency AS DigestFrequency,
                   quiet_hours_start AS QuietHoursStart, quiet_hours_end AS QuietHoursEnd
            FROM residents WHERE id = @ResidentId
            """,
            new { ResidentId = residentId }, work.Transaction, cancellationToken: cancellationToken));
        var consents = await ResidentQueries.ConsentsAsync(work, residentId, cancellationToken);
        return new MeResponse
        {
            Id = row.Id,
            FullName = row.FullName,
            Postcode = row.Postcode,
            HouseNumber = row.HouseNumber,
            HouseNumberSuffix = row.HouseNumberSuffix,
            Street = row.Street,
            City = row.City,
            BuurtCode = row.BuurtCode,
            EmailAddress = row.Email,
            PhoneNumber = row.PhoneNumber,
            PreferredLanguage = row.PreferredLanguage,
            PreferredChannel = row.PreferredChannel,
            DigestFrequency = row.DigestFrequency,
            QuietHoursStart = Format(row.QuietHoursStart),
            QuietHoursEnd = Format(row.QuietHoursEnd),
            Consents = consents.Current,
        };
    }

    private static string? Format(TimeSpan? time) => time is { } value ? TimeOnly.FromTimeSpan(value).ToString("HH:mm", CultureInfo.InvariantCulture) : null;

    private sealed record Confirmation
    {
        public required Guid Id { get; init; }

        public required string Channel { get; init; }

        public required string Value { get; init; }

        public required byte[] CodeHash { get; init; }

        public required DateTimeOffset ExpiresAt { get; init; }

        public required int FailedAttempts { get; init; }

        public DateTimeOffset? LockedUntil { get; init; }

        public DateTimeOffset? ConfirmedAt { get; init; }
    }

    private sealed record MeRow
    {
        public required Guid Id { get; init; }

        public required string FullName { get; init; }

        public required string Postcode { get; init; }

        public required int HouseNumber { get; init; }

        public string? HouseNumberSuffix { get; init; }

        public string? Street { get; init; }

        public string? City { get; init; }

        public required string BuurtCode { get; init; }

        public string? Email { get; init; }

        public string? PhoneNumber { get; init; }

        public required string PreferredLanguage { get; init; }

        public required string PreferredChannel { get; init; }

        public required string DigestFrequency { get; init; }

        public TimeSpan? QuietHoursStart { get; init; }

        public TimeSpan? QuietHoursEnd { get; init; }
    }
}
