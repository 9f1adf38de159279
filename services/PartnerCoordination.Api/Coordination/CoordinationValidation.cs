using Participatie.BuildingBlocks.Http;
using Participatie.PartnerCoordination.Domain;

namespace Participatie.PartnerCoordination.Coordination;

/// <summary>Checks that the coordination requests share.</summary>
internal static class CoordinationValidation
{
    /// <summary>Every value must come from <see cref="TargetGroups.All"/>; when required, at least one must be given.</summary>
    public static void TargetGroupList(this ValidationErrors errors, string field, IReadOnlyList<string>? values, bool required)
    {
        if (values is null || values.Count == 0)
        {
            if (required)
            {
                errors.Add(field, $"'{field}' must name at least one target group: {string.Join(", ", TargetGroups.All)}.");
            }
        }
        else if (values.FirstOrDefault(value => !TargetGroups.All.Contains(value)) is { } unknown)
        {
            errors.Add(field, $"'{unknown}' is not a target group; use: {string.Join(", ", TargetGroups.All)}.");
        }
    }

    /// <summary>The distinct values in the order given, for storing.</summary>
    public static string[] Distinct(IReadOnlyList<string>? values) => values is null ? [] : [.. values.Distinct(StringComparer.Ordinal)];
}
