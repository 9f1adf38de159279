using System.Diagnostics;
using k8s;
using k8s.Models;

namespace Participatie.Deployment.Tests;

/// <summary>
/// A copy of deploy/k8s in a folder of its own, rendered with kustomize (<c>kubectl kustomize</c>) and read with the
/// Kubernetes API's own models by a strict reader: a field the API does not know, a value of the wrong type or an
/// unknown kind fails the read. A copy, so that the production overlay's git-ignored secret files can be written
/// from their examples (as the operator does) and a test can break a manifest without touching the repository.
/// </summary>
public sealed class Manifests : IDisposable
{
    private Manifests(string root) => Root = root;

    public string Root { get; }

    public static Manifests Copy()
    {
        var root = Path.Combine(Path.GetTempPath(), "participatie-k8s-" + Guid.NewGuid().ToString("N"));
        CopyDirectory(Path.Combine(RepositoryRoot(), "deploy", "k8s"), root);
        foreach (var example in Directory.GetFiles(Path.Combine(root, "overlays", "production", "secrets"), "*.env.example"))
        {
            File.Copy(example, example[..^".example".Length]);
        }

        return new Manifests(root);
    }

    /// <summary>The rendered YAML of a kustomization (<c>base</c>, <c>overlays/production</c>) by the given kubectl.</summary>
    public string Render(string kustomization, string kubectl)
    {
        var start = new ProcessStartInfo(kubectl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(Path.Combine(Root, kustomization));
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{kubectl} did not start.");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{kubectl} kustomize {kustomization} failed ({process.ExitCode}): {error.Result}");
        }

        return output;
    }

    /// <summary>Every object of the rendered YAML as its API model; throws on an unknown kind, field or wrongly typed value.</summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Read(string yaml) =>
        [.. KubernetesYaml.LoadAllFromString(yaml, typeMap: null, strict: true).Cast<IKubernetesObject<V1ObjectMeta>>()];

    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> RenderAndRead(string kustomization, string kubectl) => Read(Render(kustomization, kubectl));

    public void Edit(string file, string from, string to)
    {
        var path = Path.Combine(Root, file);
        var text = File.ReadAllText(path);
        Assert.Contains(from, text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Participatie.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Participatie.sln not found above the test's folder.");
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.GetDirectories(from))
        {
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }
}
