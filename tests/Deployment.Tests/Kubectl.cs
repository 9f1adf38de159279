namespace Participatie.Deployment.Tests;

/// <summary>
/// The renderers the manifests must work with: Debian's kubectl (kustomize 2), which eng/ensure-k8s-tools.sh unpacks
/// into artifacts/tools on every machine, and a newer kubectl on the PATH (kustomize 5) where the machine has one.
/// </summary>
public static class Kubectl
{
    public static string Debian { get; } = Path.Combine(
        Manifests.RepositoryRoot(), "artifacts", "tools", "kubernetes-client", "usr", "bin", "kubectl");

    public static IReadOnlyList<string> All()
    {
        Assert.True(File.Exists(Debian), $"No {Debian}: run eng/ensure-k8s-tools.sh (test.sh does).");
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "kubectl"))
            .FirstOrDefault(File.Exists);
        return onPath is null ? [Debian] : [Debian, onPath];
    }

    /// <summary>For xunit's MemberData: each renderer once.</summary>
    public static TheoryData<string> Renderers()
    {
        var data = new TheoryData<string>();
        foreach (var kubectl in All())
        {
            data.Add(kubectl);
        }

        return data;
    }
}
