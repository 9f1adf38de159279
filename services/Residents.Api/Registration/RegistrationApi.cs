using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.Residents.AccessLog;
using Participatie.Residents.Areas;
using Participatie.Residents.Audiences;
using Participatie.Residents.DataRights;
using Participatie.Residents.Registry;
using Participatie.Residents.Residents;

namespace Participatie.Residents.Registration;

public static class RegistrationApi
{
    public static RouteGroupBuilder MapRegistration(this RouteGroupBuilder api)
    {
        api.MapPost("", RegisterResident)
            .WithName("RegisterResident")
            .WithSummary(
                "Register a resident at an address in a buurt, with a preferred language and channel. The same home with the same e-mail " +
                "address or phone number as a known resident is that resident: 200 with only its id and matchedExistingResident, and the partner " +
                "is linked. 422 naming buurtCode outside the partner's areas")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    internal static async Task<Results<Created<ResidentResponse>, Ok<MatchedResidentResponse>, ProblemHttpResult>> RegisterResident(
        RegisterResidentRequest request, HttpContext httpContext, UnitOfWorkFactory unitOfWork, TimeProvider clock,
        ResidentSnapshots snapshots, HomeAnnouncements homes, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var partnerId = httpContext.User.GetPartnerId()!.Value;
        var caller = AccessLogCaller.From(httpContext.User);
        var resident = request.ToResident(Guid.CreateVersion7(), now, partnerId);

        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        // Checked before matching: outside its areas a partner learns nothing, not even that the resident is known.
        var areas = await CallerAreas.LoadAsync(work.Connection, work.Transaction, httpContext.User, cancellationToken);
        if (!areas.Includes(request.BuurtCode!))
        {
            return CallerAreas.RefuseRegistration(request.BuurtCode!);
        }

        var matching = await ResidentMatching.LoadAsync(work, [resident.AddressKey], cancellationToken);
        if (matching.Match(resident) is { } existingId)
        {
            await ResidentMatching.LinkAsync(work, [existingId], partnerId, caller.ClientId, now, cancellationToken);
            await AccessLogStore.LogAsync(work, existingId, caller, "linked", "registration matched an existing resident", cancellationToken);
            // Registering with another partner is the resident's own doing: it counts against retention.
            await ResidentActivity.RecordAsync(work, [existingId], now, cancellationToken);
            await work.CommitAsync(cancellationToken);
            httpContext.Response.Headers.Location = $"/v1/residents/{existingId}";
            // Nothing of the stored record: whoever knows a home and an e-mail address must not learn the rest of it here.
            return TypedResults.Ok(new MatchedResidentResponse(existingId));
        }

        await ResidentStore.InsertAsync(work, resident, cancellationToken);
        await ResidentStore.RecordRegistrationsAsync(work, [resident.Id], partnerId, caller.ClientId, RegistryApi.AmsterdamToday(now), cancellationToken);
        await AccessLogStore.LogAsync(work, resident.Id, caller, "registered", "registration", cancellationToken);
        // Other services rely on ResidentRegistered; the snapshot and the sign-in keys come with it.
        await work.PublishAsync(resident.ToEvent(), cancellationToken);
        await snapshots.PublishRegisteredAsync(work, [resident.Id], now, cancellationToken);
        await AddressScopedAudiences.AnnounceNewcomersAsync(work, [(resident.Id, resident.AddressKey)], cancellationToken);
        await homes.AnnounceAsync(work, [resident.AddressKey], now, cancellationToken);
        await work.CommitAsync(cancellationToken);

        return TypedResults.Created($"/v1/residents/{resident.Id}", resident with { MatchedExistingResident = false });
    }
}
