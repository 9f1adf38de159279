using System.Security.Claims;
using Npgsql;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Http;
using Participatie.Contracts;

namespace Participatie.Consultations.Consultations;

/// <summary>What a partner may do with a consultation it sees, besides reading it.</summary>
public static class ConsultationPermissions
{
    /// <summary>Enter what residents said or did (reactions, answers, registrations): lead, co-owners, contributors.</summary>
    public const string Contribute = "contribute";

    /// <summary>Answer and organise its reactions, meetings and questions: the partner that opened it, the lead, co-owners.</summary>
    public const string Answer = "answer";
}

/// <summary>A consultation together with the calling partner's role in its trajectory.</summary>
public sealed record VisibleConsultation(ConsultationResponse Consultation, string Role)
{
    /// <summary>The partner that opened it, and the trajectory's lead and co-owners, answer its reactions.</summary>
    public bool CanAnswer(ClaimsPrincipal user) =>
        Consultation.PartnerId == user.GetPartnerId() || TrajectoryRoles.CanManageMembers(Role);

    public static ValueTask<VisibleConsultation?> BindAsync(HttpContext context) => RouteAccess.Loaded<VisibleConsultation>(context);
}

/// <summary>
/// Every route under <c>/v1/consultations/{consultationId}</c>: the consultation exists for the caller only when it
/// takes part in its trajectory (404 otherwise), and the endpoint's permission is checked here, once.
/// </summary>
public sealed class ConsultationAccessCheck(NpgsqlDataSource database)
    : RouteAccessCheck<VisibleConsultation>("consultationId", "consultation")
{
    protected override async Task<VisibleConsultation?> LoadAsync(HttpContext context, Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ConsultationStore.FindVisibleAsync(connection, id, context.User.GetPartnerId(), cancellationToken);
    }

    protected override string? Refuse(VisibleConsultation subject, string permission, ClaimsPrincipal user) => permission switch
    {
        ConsultationPermissions.Contribute when !TrajectoryRoles.CanContribute(subject.Role) =>
            $"A partner with role '{subject.Role}' reads in this trajectory but cannot enter anything in it.",
        ConsultationPermissions.Answer when !subject.CanAnswer(user) =>
            "Only the partner that opened the consultation, or the trajectory's lead and co-owners, answer and organise it.",
        _ => null,
    };
}

public static class ConsultationAccessExtensions
{
    public static RouteGroupBuilder WithConsultationAccess(this RouteGroupBuilder group)
    {
        return group.WithAccessCheck<ConsultationAccessCheck>();
    }
}
