using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Participatie.BuildingBlocks.Auth;
using Participatie.BuildingBlocks.Data;
using Participatie.BuildingBlocks.Http;
using Participatie.BuildingBlocks.Messaging;
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
        builder.AddNpgsqlDataSource(service.DatabaseName);
        builder.AddMessaging(service.Name, service.Assembly, service.KeepsTrajectoryProjection ? [typeof(TrajectoryChangedConsumer)] : []);
        builder.AddParticipatieAuthentication();
        builder.Services.AddApiConventions(service.Title);
        return builder;
    }

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
