using Microsoft.AspNetCore.Http.HttpResults;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.Residents.AccessLog;
using Participatie.Residents.Audiences;
using Participatie.Residents.Residents;

namespace Participatie.Residents.Registration;

public static class RegistrationApi
{
    public static RouteGroupBuilder MapRegistration(this RouteGroupBuilder api)
    {
        api.MapPost("", RegisterResident)
            .WithName("RegisterResident")
            .WithSummary("Register a resident at an address in a buurt, with a preferred language and channel");
        return api;
    }

    internal static async Task<Created<ResidentResponse>> RegisterResident(
        RegisterResidentRequest request, HttpContext httpContext, UnitOfWorkFactory unitOfWork, TimeProvider clock, CancellationToken cancellationToken)
    {
        var resident = request.ToResident(Guid.CreateVersion7(), clock.GetUtcNow(), httpContext.User.GetPartnerId()!.Value);

        await using var work = await unitOfWork.BeginAsync(cancellationToken);
        await ResidentStore.InsertAsync(work, resident, cancellationToken);
        await AccessLogStore.LogAsync(work, resident.Id, AccessLogCaller.From(httpContext.User), "registered", "registration", cancellationToken);
        await work.PublishAsync(resident.ToEvent(), cancellationToken);
        await AddressScopedAudiences.AnnounceNewcomersAsync(work, [(resident.Id, resident.AddressKey)], cancellationToken);
        await work.CommitAsync(cancellationToken);

        return TypedResults.Created($"/v1/residents/{resident.Id}", resident);
    }
}
