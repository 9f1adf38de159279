using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Time;
using Participatie.Consultations.Domain;
using Participatie.Consultations.Trajectories;
using Participatie.Contracts;

namespace Participatie.Consultations.Consultations;

public static class ConsultationsApi
{
    public static IEndpointRouteBuilder MapConsultationsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapApiGroup("/v1/consultations", "Consultations");
        api.MapPost("", OpenConsultation)
            .WithName("OpenConsultation")
            .WithSummary("Open a consultation in a trajectory for the residents of one of its buurten; they are notified in their own language, the title translated where the partner gave titleTranslations")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("", ListConsultations)
            .WithName("ListConsultations")
            .WithSummary("List the consultations of the trajectories the caller takes part in, newest first, optionally for one buurt");

        var one = routes.MapApiGroup("/v1/consultations/{consultationId:guid}", "Consultations").WithConsultationAccess();
        one.MapGet("", GetConsultation)
            .WithName("GetConsultation")
            .WithSummary("Read one consultation")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    internal static async Task<Results<Created<ConsultationResponse>, ProblemHttpResult>> OpenConsultation(
        OpenConsultationRequest request, [AsParameters] ApiServices services)
    {
        var (trajectory, problem) = await TrajectoryAccess.ContributingAsync(
            services.Database, request.TrajectoryId, services.User, "consultations", services.Cancellation);
        if (problem is not null)
        {
            return problem;
        }

        if (!trajectory.BuurtCodes.Contains(request.BuurtCode!, StringComparer.Ordinal))
        {
            return Problems.Unprocessable("buurtCode", $"Buurt '{request.BuurtCode}' is not part of this trajectory.");
        }

        if (request.ClosesOn!.Value < AmsterdamClock.Today(services.Clock))
        {
            return Problems.Unprocessable("closesOn", "'closesOn' must be today or later.");
        }

        var addressKeys = request.AddressKeys();
        if (AddressListProblem(request, addressKeys, trajectory.BuurtCodes) is { } addressProblem)
        {
            return addressProblem;
        }

        var consultation = new ConsultationResponse
        {
            Id = Guid.CreateVersion7(),
            TrajectoryId = trajectory.Id,
            // The partner that opens a consultation owns it.
            PartnerId = services.PartnerId!.Value,
            Title = request.Title!.Trim(),
            TitleTranslations = PartnerTranslations.Normalize(request.TitleTranslations),
            Description = request.Description!.Trim(),
            DescriptionTranslations = PartnerTranslations.Normalize(request.DescriptionTranslations),
            BuurtCode = request.BuurtCode!,
            ClosesOn = request.ClosesOn.Value,
            AddressScoped = addressKeys.Count > 0,
            OpenedAt = services.Clock.GetUtcNow(),
        };

        await using var work = await services.UnitOfWork.BeginAsync(services.Cancellation);
        await ConsultationStore.InsertAsync(work.Connection, work.Transaction, consultation, addressKeys, services.Cancellation);
        await work.PublishAsync(new ConsultationOpened(
            consultation.Id, consultation.TrajectoryId, consultation.PartnerId, consultation.Title, consultation.BuurtCode, consultation.ClosesOn,
            consultation.OpenedAt, addressKeys.Count > 0 ? addressKeys : null, consultation.TitleTranslations),
            services.Cancellation);
        await work.CommitAsync(services.Cancellation);

        return TypedResults.Created($"/v1/consultations/{consultation.Id}", consultation);
    }

    internal static async Task<Ok<Page<ConsultationResponse>>> ListConsultations(
        [FromQuery] string? buurtCode, [AsParameters] PageQuery page, [AsParameters] ApiServices services)
    {
        const string filter =
            $"c.trajectory_id IN ({ConsultationStore.MyTrajectories}) AND (@BuurtCode::text IS NULL OR c.buurt_code = @BuurtCode)";
        await using var connection = await services.Database.OpenConnectionAsync(services.Cancellation);
        return TypedResults.Ok(await connection.QueryPageAsync<ConsultationResponse>(page, new CommandDefinition(
            $"""
            SELECT {ConsultationStore.Columns} FROM consultations c WHERE {filter}
            ORDER BY c.opened_at DESC, c.id OFFSET @Offset LIMIT @Size;
            SELECT count(*) FROM consultations c WHERE {filter};
            """,
            new { CallerPartnerId = services.PartnerId, BuurtCode = buurtCode, page.Offset, page.Size },
            cancellationToken: services.Cancellation)));
    }

    internal static Ok<ConsultationResponse> GetConsultation(VisibleConsultation visible) => TypedResults.Ok(visible.Consultation);

    /// <summary>
    /// A list of addresses names at least <see cref="OpenConsultationRequest.MinimumAddresses"/> homes, each inside the
    /// trajectory's buurten (its stated buurt, or the consultation's).
    /// </summary>
    private static ProblemHttpResult? AddressListProblem(OpenConsultationRequest request, IReadOnlyList<string> addressKeys, IReadOnlyList<string> trajectoryBuurten)
    {
        if (request.Addresses is not { Count: > 0 } addresses)
        {
            return null;
        }

        for (var i = 0; i < addresses.Count; i++)
        {
            var buurtCode = addresses[i].BuurtCode ?? request.BuurtCode!;
            if (!trajectoryBuurten.Contains(buurtCode, StringComparer.Ordinal))
            {
                return Problems.Unprocessable($"addresses[{i}].buurtCode", $"Home {i + 1} lies in buurt '{buurtCode}', which is not part of this trajectory.");
            }
        }

        return addressKeys.Count < OpenConsultationRequest.MinimumAddresses
            ? Problems.Unprocessable(
                "addresses", $"A consultation for a list of addresses needs at least {OpenConsultationRequest.MinimumAddresses} different homes; this list has {addressKeys.Count}.")
            : null;
    }
}
