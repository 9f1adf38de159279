namespace Participatie.PartnerCoordination.Trajectories;

/// <summary>Limits of a trajectory, from the configuration section <c>Trajectories</c>.</summary>
public sealed class TrajectoryOptions
{
    public const string Section = "Trajectories";

    /// <summary>
    /// The most buurten one trajectory may span: a trajectory is local work, and each phase change writes to every
    /// resident of its buurten. 50 covers a large stadsdeel (Amsterdam-West has about 40 buurten).
    /// </summary>
    public int MaxBuurten { get; set; } = 50;
}

public static class TrajectoryOptionsExtensions
{
    public static IHostApplicationBuilder AddTrajectoryOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrajectoryOptions>().BindConfiguration(TrajectoryOptions.Section)
            .Validate(options => options.MaxBuurten > 0, "Trajectories: MaxBuurten must be positive.")
            .ValidateOnStart();
        return builder;
    }
}
