using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Participatie.PartnerCoordination;

/// <summary>
/// Describes in the OpenAPI document the route parameters that the route-group filters bind (the trajectory, the owned
/// item) rather than the handler: the document lists only a handler's own parameters, and a client still sends them.
/// They are all ids (the filters read them as Guids), and come first, in path order, as they did when handlers took them.
/// </summary>
internal static partial class FilterBoundRouteParameters
{
    public static IServiceCollection DescribeFilterBoundRouteParameters(this IServiceCollection services) =>
        services.Configure<OpenApiOptions>("v1", options => options.AddOperationTransformer((operation, context, _) =>
        {
            var described = operation.Parameters ?? [];
            var missing = PathParameter().Matches(context.Description.RelativePath ?? string.Empty)
                .Select(match => match.Groups["name"].Value)
                .Where(name => !described.Any(parameter => parameter.In == ParameterLocation.Path && parameter.Name == name))
                .ToList();
            if (missing.Count > 0)
            {
                operation.Parameters = [.. missing.Select(Id), .. described];
            }

            return Task.CompletedTask;
        }));

    private static OpenApiParameter Id(string name) => new()
    {
        Name = name,
        In = ParameterLocation.Path,
        Required = true,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
    };

    [GeneratedRegex(@"\{(?<name>\w+)(:[^}]*)?\}")]
    private static partial Regex PathParameter();
}
