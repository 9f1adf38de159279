using System.Diagnostics;
using k8s;
using k8s.Models;

namespace Participatie.Deployment.Tests;

/// <summary>
/// A copy of deploy/k8s in a folder of its own, rendered with kustomize (<c>kubectl kustomize</c>), validated against
/// the Kubernetes API's JSON schemas (eng/k8s-schema: required fields, types, formats) and read with the API's own
/// models by a strict reader: a field the API does not know, a value of the wrong type or an unknown kind fails. A copy, so that the production overlay's git-ignored secret files can be written
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
        var (exitCode, output, error) = Run(kubectl, ["kustomize", Path.Combine(Root, kustomization)], standardInput: null);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{kubectl} kustomize {kustomization} failed ({exitCode}): {error}");
        }

        return output;
    }

    private static (int ExitCode, string Output, string Error) Run(string fileName, IEnumerable<string> arguments, string? standardInput)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = standardInput is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }

        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Every object of the rendered YAML as its API model; throws on an unknown kind, field or wrongly typed value.</summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Read(string yaml) =>
        [.. KubernetesYaml.LoadAllFromString(yaml, typeMap: null, strict: true).Cast<IKubernetesObject<V1ObjectMeta>>()];

    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> RenderAndRead(string kustomization, string kubectl)
    {
        var yaml = Render(kustomization, kubectl);
        ValidateAgainstSchemas(yaml);
        return Read(yaml);
    }

    /// <summary>Throws with the validator's findings when an object breaks the Kubernetes JSON schemas.</summary>
    public static void ValidateAgainstSchemas(string yaml)
    {
        var validator = Path.Combine(RepositoryRoot(), "artifacts", "tools", "k8s-schema", "validate.mjs");
        Assert.True(File.Exists(validator), $"No {validator}: run eng/ensure-k8s-tools.sh (test.sh does).");
        var (exitCode, output, error) = Run("node", [validator], yaml);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"Schema validation failed: {output}{error}");
        }
    }

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
