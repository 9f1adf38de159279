using Microsoft.AspNetCore.Mvc;

namespace Participatie.BuildingBlocks.Http;

/// <summary>Page and page size from the query string, 1-based.</summary>
public sealed record PageQuery : IValidatableRequest
{
    public const int MaxPageSize = 100;

    [FromQuery(Name = "page")]
    public int? Page { get; init; }

    [FromQuery(Name = "pageSize")]
    public int? PageSize { get; init; }

    public int PageNumber => Page ?? 1;

    public int Size => PageSize ?? 20;

    // long: a huge page number must give an empty page, not an overflow.
    public long Offset => (long)(PageNumber - 1) * Size;

    public Page<T> ToPage<T>(IReadOnlyList<T> items, long totalCount) => new(items, PageNumber, Size, totalCount);

    public void Validate(ValidationErrors errors)
    {
        if (PageNumber < 1)
        {
            errors.Add("page", "'page' must be 1 or more.");
        }

        if (Size is < 1 or > MaxPageSize)
        {
            errors.Add("pageSize", $"'pageSize' must be between 1 and {MaxPageSize}.");
        }
    }
}

/// <summary>One page of a list, with the total so that clients can page on.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, long TotalCount);
