using System.Text.Json.Nodes;

namespace Participatie.Drills;

/// <summary>
/// The fuzzer itself, without a platform (so that ./test.sh checks it while the drills stay explicit): from a service's
/// real OpenAPI document (the .NET client's committed copy) it finds every operation and makes a request of each kind.
/// </summary>
public sealed class OpenApiFuzzerTests
{
    [Theory]
    [InlineData("residents")]
    [InlineData("consultations")]
    [InlineData("partner-coordination")]
    [InlineData("notifications")]
    public void Every_operation_of_a_document_gets_a_request_of_every_kind(string api)
    {
        var path = Path.Combine(RepositoryRoot(), "clients", "dotnet", "Participatie.Client", "OpenApi", $"{api}.json");
        var document = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var operationCount = document["paths"]!.AsObject().Sum(item => item.Value!.AsObject().Count(method => method.Key is "get" or "post" or "put" or "patch" or "delete"));

        var operations = OpenApiFuzzer.Operations(api, document);
        var fuzzer = new OpenApiFuzzer(new Dictionary<string, string>(), seed: 7);

        Assert.Equal(operationCount, operations.Count);
        Assert.All(operations, operation => Assert.StartsWith("/v1/", operation.Path, StringComparison.Ordinal));
        foreach (var operation in operations)
        {
            var requests = OpenApiFuzzer.Mutations.Select(mutation => fuzzer.Generate(document, operation, mutation)).ToList();
            Assert.All(requests, request => Assert.StartsWith("/v1/", request.Uri, StringComparison.Ordinal));
            Assert.Contains(requests, request => request.Mutation != "valid");
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Participatie.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Participatie.sln not found above the test's directory.");
    }
}
