using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Hosting;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Messaging;
using Participatie.BuildingBlocks.Residents;
using Participatie.BuildingBlocks.Trajectories;

namespace Participatie.BuildingBlocks;

/// <summary>The wiring every Participatie service shares, so that a service's Program.cs holds only what is its own.</summary>
public static class ServiceExtensions
{
    public static WebApplicationBuilder AddParticipatieService(this WebApplicationBuilder builder, ServiceDescription service)
    {
        DapperTypeHandlers.Register();
        builder.AddServiceDefaults();
        builder.Services.AddSingleton(service);
        builder.AddNpgsqlDataSource(service.DatabaseName, configureDataSourceBuilder: database =>
        {
            // Every request runs the same few statements: prepared once per connection, PostgreSQL plans them once.
            database.ConnectionStringBuilder.MaxAutoPrepare = 64;
            database.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
            // Nothing leaves session state behind (the migrator unlocks its advisory lock itself), so a pooled connection
            // need not be reset with DISCARD ALL, which would also drop the prepared statements.
            database.ConnectionStringBuilder.NoResetOnClose = true;
        });
        builder.AddMessaging(service.Name, service.Assembly, SharedConsumers(service));
        builder.AddParticipatieAuthentication();
        builder.Services.AddApiConventions(service.Title);
        builder.AddRequestLimits();
        if (builder.Configuration.GetValue("Memory:ReleaseWhenIdle", true))
        {
            builder.Services.AddHostedService<IdleMemoryRelease>();
        }

        return builder;
    }

    private static Type[] SharedConsumers(ServiceDescription service) =>
    [
        .. service.KeepsTrajectoryProjection ? [typeof(TrajectoryChangedConsumer)] : Array.Empty<Type>(),
        .. service.KeepsResidentPartners ? [typeof(ResidentsLinkedToPartnerConsumer)] : Array.Empty<Type>(),
    ];

    public static WebApplication UseParticipatieService(this WebApplication app)
    {
        app.UseApiConventions();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRouteAccess();
        app.MapDefaultEndpoints();
        return app;
    }
}
