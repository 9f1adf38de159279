using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Participatie.Contracts;

namespace Participatie.BuildingBlocks.Http;

/// <summary>
/// Describes in the OpenAPI document the path parameters that a route access check reads rather than the handler
/// (the consultation, the trajectory, the owned item): the document lists only a handler's own parameters, and a
/// client still sends them. They come first, in path order, as they did when handlers took them; a {name:guid} is a
/// uuid, any other a string.
/// </summary>
internal static partial class RouteParametersInOpenApi
{
    public static OpenApiOptions DescribeEveryPathParameter(this OpenApiOptions options) =>
        options.AddOperationTransformer((operation, context, _) =>
        {
            var described = operation.Parameters ?? [];
            var missing = PathParameter().Matches(context.Description.RelativePath ?? string.Empty)
                .Where(match => !described.Any(parameter => parameter.In == ParameterLocation.Path && parameter.Name == match.Groups["name"].Value))
                .Select(match => Describe(match.Groups["name"].Value, match.Groups["constraint"].Value))
                .ToList();
            if (missing.Count > 0)
            {
                operation.Parameters = [.. missing, .. described];
            }

            return Task.CompletedTask;
        });

    private static OpenApiParameter Describe(string name, string constraint) => new()
    {
        Name = name,
        In = ParameterLocation.Path,
        Required = true,
        Schema = constraint == "guid"
            ? new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" }
            : new OpenApiSchema { Type = JsonSchemaType.String },
    };

    [GeneratedRegex(@"\{(?<name>\w+)(:(?<constraint>[^}:]*)[^}]*)?\}", RegexOptions.None, matchTimeoutMilliseconds: PatternLimits.MatchTimeoutMilliseconds)]
    private static partial Regex PathParameter();
}
