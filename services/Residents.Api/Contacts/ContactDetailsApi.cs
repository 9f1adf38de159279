using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;
using Participatie.Residents.AccessLog;

namespace Participatie.Residents.Contacts;

/// <summary>
/// The internal endpoint through which the notifications service gets the one address a delivery needs, at the moment
/// of sending. Only a service token with the contact-details scope reaches it (a partner's token is refused), the
/// gateway does not route it, and it is left out of the public OpenAPI document. Every disclosure is logged.
/// </summary>
public static class ContactDetailsApi
{
    public const string RoutePrefix = "/internal/v1/residents";

    /// <summary>The problem type of a resident without a usable address for the channel (none given, or undeliverable).</summary>
    public const string NoUsableContactType = "https://participatie.example.org/problems/no-usable-contact";

    public static IEndpointRouteBuilder MapContactDetailsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup(RoutePrefix)
            .RequireAuthorization(AuthenticationExtensions.ContactDetailsPolicy)
            .AddEndpointFilter<ValidationFilter>()
            .ExcludeFromDescription()
            .MapGet("/{residentId:guid}/contact-details/{channel}", GetContactDetails)
            .WithName("GetResidentContactDetails");
        return routes;
    }

    internal static async Task<Results<Ok<ContactDetailsResponse>, ProblemHttpResult>> GetContactDetails(
        [AsParameters] ContactDetailsQuery query, ClaimsPrincipal user, UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        if (query.ConfirmationId is { } confirmationId)
        {
            return await GetPendingContactAsync(work, query, confirmationId, user, clock.GetUtcNow(), cancellationToken);
        }

        var resident = await work.Connection.QuerySingleOrDefaultAsync<ContactRow>(new CommandDefinition(
            """
            SELECT full_name AS FullName, street, house_number AS HouseNumber, house_number_suffix AS HouseNumberSuffix,
                   postcode, city, email, phone_number AS PhoneNumber, preferred_language AS PreferredLanguage,
                   email_undeliverable_at AS EmailUndeliverableAt, phone_undeliverable_at AS PhoneUndeliverableAt
            FROM residents WHERE id = @ResidentId
            """,
            new { query.ResidentId }, work.Transaction, cancellationToken: cancellationToken));
        if (resident is null)
        {
            return Problems.NotFound("resident", query.ResidentId);
        }

        var channel = query.Channel!;
        var response = new ContactDetailsResponse { ResidentId = query.ResidentId, Channel = channel, Language = resident.PreferredLanguage };
        response = channel switch
        {
            Channels.Email when resident is { Email: { } email, EmailUndeliverableAt: null } => response with { EmailAddress = email },
            Channels.Sms when resident is { PhoneNumber: { } phone, PhoneUndeliverableAt: null } => response with { PhoneNumber = phone },
            Channels.Letter => response with { PostalAddress = resident.ToPostalAddress() },
            _ => response,
        };
        if (response is { EmailAddress: null, PhoneNumber: null, PostalAddress: null })
        {
            return NoUsableContact(query.ResidentId, channel, resident);
        }

        var clientId = user.GetClientId() ?? "unknown client";
        // The disclosure and its record commit together: no address leaves without a trace.
        await AccessLogStore.LogAsync(
            work, query.ResidentId, AccessLogCaller.Service(clientId), "read",
            $"delivery of notification {query.NotificationId} by {channel}", cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(response);
    }

    private static async Task<Results<Ok<ContactDetailsResponse>, ProblemHttpResult>> GetPendingContactAsync(
        UnitOfWork work, ContactDetailsQuery query, Guid confirmationId, ClaimsPrincipal user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pending = await work.Connection.QuerySingleOrDefaultAsync<(string Value, string Language)?>(new CommandDefinition(
            """
            SELECT c.value, r.preferred_language
            FROM contact_confirmations c JOIN residents r ON r.id = c.resident_id
            WHERE c.id = @ConfirmationId AND c.resident_id = @ResidentId AND c.channel = @Channel
              AND c.confirmed_at IS NULL AND c.expires_at > @Now
            """,
            new { ConfirmationId = confirmationId, query.ResidentId, query.Channel, Now = now }, work.Transaction, cancellationToken: cancellationToken));
        if (pending is not { } contact)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "The resident has no usable address for this channel.",
                detail: $"Confirmation '{confirmationId}' of resident '{query.ResidentId}' is unknown, confirmed or expired.",
                type: NoUsableContactType);
        }

        var response = new ContactDetailsResponse { ResidentId = query.ResidentId, Channel = query.Channel!, Language = contact.Language };
        response = query.Channel == Channels.Email ? response with { EmailAddress = contact.Value } : response with { PhoneNumber = contact.Value };
        await AccessLogStore.LogAsync(
            work, query.ResidentId, AccessLogCaller.Service(user.GetClientId() ?? "unknown client"), "read",
            $"code for contact confirmation {confirmationId} by {query.Channel}", cancellationToken);
        await work.CommitAsync(cancellationToken);
        return TypedResults.Ok(response);
    }

    private static ProblemHttpResult NoUsableContact(Guid residentId, string channel, ContactRow resident)
    {
        var undeliverableSince = channel == Channels.Email ? resident.EmailUndeliverableAt : resident.PhoneUndeliverableAt;
        var what = channel == Channels.Email ? "e-mail address" : "phone number";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "The resident has no usable address for this channel.",
            detail: undeliverableSince is { } since
                ? $"The {what} of resident '{residentId}' was reported undeliverable at {since:O}."
                : $"Resident '{residentId}' gave no {what}.",
            type: NoUsableContactType);
    }

    private sealed record ContactRow
    {
        public required string FullName { get; init; }

        public string? Street { get; init; }

        public required int HouseNumber { get; init; }

        public string? HouseNumberSuffix { get; init; }

        public required string Postcode { get; init; }

        public string? City { get; init; }

        public string? Email { get; init; }

        public string? PhoneNumber { get; init; }

        public required string PreferredLanguage { get; init; }

        public DateTimeOffset? EmailUndeliverableAt { get; init; }

        public DateTimeOffset? PhoneUndeliverableAt { get; init; }

        public PostalAddressResponse ToPostalAddress() => new()
        {
            Name = FullName,
            Street = Street,
            HouseNumber = HouseNumber,
            HouseNumberSuffix = HouseNumberSuffix,
            Postcode = Postcode,
            City = City,
        };
    }
}
