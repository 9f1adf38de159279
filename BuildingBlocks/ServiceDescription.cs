using System.Reflection;

namespace Participatie.BuildingBlocks;

/// <summary>What makes one service different from the others in its wiring.</summary>
/// <param name="Name">Short kebab-case name, also the prefix of its queues (for example <c>residents</c>).</param>
/// <param name="DatabaseName">Name of the connection string of the database the service owns.</param>
/// <param name="Title">Title of its OpenAPI document.</param>
/// <param name="Assembly">The service's assembly: its migration scripts and message consumers.</param>
public sealed record ServiceDescription(string Name, string DatabaseName, string Title, Assembly Assembly)
{
    /// <summary>
    /// The service decides access to what belongs to trajectories: it keeps its own projection of the trajectories
    /// and their members (<see cref="Trajectories.TrajectoryProjection"/>), fed by partner coordination's events.
    /// </summary>
    public bool KeepsTrajectoryProjection { get; init; }

    /// <summary>
    /// The service shows residents' ids only to the partners that registered them: it keeps a <c>resident_partners</c>
    /// table (<see cref="Residents.ResidentPartnerLinks"/>) and hears when a partner is linked to residents it already had.
    /// </summary>
    public bool KeepsResidentPartners { get; init; }
}
