using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Participatie.Notifications.FunctionalTests;

/// <summary>The service's OpenAPI document describes every operation as a client calls it.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class OpenApiTests(NotificationsService service)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_openapi_document_names_every_path_parameter_of_every_operation()
    {
        using var client = service.CreateClient();
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi.json", Cancel);

        // Handlers take what the route access check loaded, not the ids: the document must still name each one.
        var misdescribed = new List<string>();
        var operations = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var inTemplate = Regex.Matches(path.Name, @"\{(\w+)\}").Select(match => match.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
            foreach (var operation in path.Value.EnumerateObject())
            {
                operations++;
                var described = operation.Value.TryGetProperty("parameters", out var parameters)
                    ? parameters.EnumerateArray()
                        .Where(parameter => parameter.GetProperty("in").GetString() == "path")
                        .Select(parameter => parameter.GetProperty("name").GetString()!)
                        .Order(StringComparer.Ordinal)
                        .ToList()
                    : [];
                if (!inTemplate.SequenceEqual(described, StringComparer.Ordinal))
                {
                    misdescribed.Add($"{operation.Name} {path.Name}: [{string.Join(", ", described)}]");
                }
            }
        }

        Assert.True(document.GetProperty("paths").TryGetProperty("/notifications/{notificationId}", out _));
        Assert.NotEqual(0, operations);
        Assert.Empty(misdescribed);
    }
}
