using System.Reflection;
using NetArchTest.Rules;

namespace Participatie.UnitTests;

/// <summary>
/// Each service keeps its rules in a Domain namespace that knows nothing of storage, HTTP or messaging, and nothing of
/// the service's features (which use the rules, not the other way round).
/// </summary>
public class ArchitectureTests
{
    public static TheoryData<string> Services => new()
    {
        typeof(Participatie.Residents.EntryPoint).Assembly.GetName().Name!,
        typeof(Participatie.Consultations.EntryPoint).Assembly.GetName().Name!,
        typeof(Participatie.Notifications.EntryPoint).Assembly.GetName().Name!,
        typeof(Participatie.PartnerCoordination.EntryPoint).Assembly.GetName().Name!,
    };

    private static readonly string[] Infrastructure =
    [
        "Dapper", "Npgsql", "Microsoft.AspNetCore", "MassTransit", "System.Net.Http", "Participatie.BuildingBlocks",
    ];

    [Theory]
    [MemberData(nameof(Services))]
    public void Domain_rules_depend_on_no_database_http_or_messaging(string assemblyName)
    {
        var result = DomainTypes(assemblyName).ShouldNot().HaveDependencyOnAny(Infrastructure).GetResult();

        Assert.True(result.IsSuccessful, $"Domain types with infrastructure dependencies: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Domain_rules_depend_on_no_feature_of_their_service(string assemblyName)
    {
        var assembly = Assembly.Load(assemblyName);
        var domain = DomainNamespace(assembly);
        string[] features = [.. assembly.GetTypes()
            .Select(type => type.Namespace)
            .OfType<string>()
            .Where(name => name.StartsWith(RootNamespace(assembly) + ".", StringComparison.Ordinal) && name != domain)
            .Distinct()];

        var result = DomainTypes(assemblyName).ShouldNot().HaveDependencyOnAny(features).GetResult();

        Assert.True(result.IsSuccessful, $"Domain types that reach into features: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Every_service_keeps_its_rules_in_a_domain_namespace(string assemblyName) =>
        Assert.NotEmpty(DomainTypes(assemblyName).GetTypes());

    private static PredicateList DomainTypes(string assemblyName)
    {
        var assembly = Assembly.Load(assemblyName);
        return Types.InAssembly(assembly).That().ResideInNamespace(DomainNamespace(assembly));
    }

    private static string RootNamespace(Assembly assembly) =>
        assembly.GetTypes().Single(type => type.Name == "EntryPoint").Namespace!;

    private static string DomainNamespace(Assembly assembly) => RootNamespace(assembly) + ".Domain";
}
