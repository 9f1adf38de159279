using Microsoft.AspNetCore.Http;

namespace Participatie.BuildingBlocks.Http;

/// <summary>A request body or query that checks itself; <see cref="ValidationFilter"/> calls it before the handler.</summary>
public interface IValidatableRequest
{
    void Validate(ValidationErrors errors);
}

/// <summary>Collects errors per field, named as the client sent them (camelCase JSON names).</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            messages = [];
            _errors[field] = messages;
        }

        // The declared bound (InputBounds) and a model's own check may report the same thing once.
        if (!messages.Contains(message, StringComparer.Ordinal))
        {
            messages.Add(message);
        }
    }

    /// <summary>Adds an error when the value is missing or blank; returns whether it was present.</summary>
    public bool Required(string field, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        Add(field, $"'{field}' is required.");
        return false;
    }

    public void MaxLength(string field, string? value, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            Add(field, $"'{field}' may be at most {maxLength} characters long.");
        }
    }

    public void OneOf(string field, string? value, IReadOnlyCollection<string> allowed)
    {
        if (Required(field, value) && !allowed.Contains(value!))
        {
            Add(field, $"'{field}' must be one of: {string.Join(", ", allowed)}.");
        }
    }

    public void NotEmpty(string field, Guid value)
    {
        if (value == Guid.Empty)
        {
            Add(field, $"'{field}' is required.");
        }
    }

    public IDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
}

/// <summary>Runs <see cref="IValidatableRequest.Validate"/> on every argument that has it; answers 400 problem+json.</summary>
public sealed class ValidationFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var errors = new ValidationErrors();
        CheckRouteAndQuery(context.HttpContext.Request, errors);
        foreach (var argument in context.Arguments.OfType<IValidatableRequest>())
        {
            InputBounds.Check(argument, errors);
            argument.Validate(errors);
        }

        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(
                errors.ToDictionary(),
                title: "The request is not valid.",
                type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1");
        }

        return await next(context);
    }

    /// <summary>
    /// Route values and query parameters reach SQL as plain strings too (a buurt code in the path, a search term): one
    /// PostgreSQL cannot store is the caller's mistake, named by its parameter, not a 500.
    /// </summary>
    private static void CheckRouteAndQuery(HttpRequest request, ValidationErrors errors)
    {
        foreach (var (name, value) in request.RouteValues)
        {
            if (value is string text && InputBounds.Unstorable(text) is { } reason)
            {
                errors.Add(name, $"'{name}' {reason}.");
            }
        }

        foreach (var (name, values) in request.Query)
        {
            foreach (var text in values)
            {
                if (InputBounds.Unstorable(text) is { } reason)
                {
                    errors.Add(name, $"'{name}' {reason}.");
                }
            }
        }
    }
}
