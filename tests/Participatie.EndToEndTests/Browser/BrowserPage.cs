using System.Globalization;
using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Participatie.EndToEndTests.Browser;

/// <summary>
/// A browser page with the checks every page of the web clients must pass: no axe violation of WCAG 2.2 A/AA, a
/// transferred weight under 100 KB, <c>lang</c> and <c>dir</c> set; and a screenshot kept under
/// <c>artifacts/browser/screenshots/</c> with the page's weight recorded in <c>artifacts/browser/page-weights.md</c>.
/// </summary>
public sealed class BrowserPage(IBrowserContext context, IPage page) : IAsyncDisposable
{
    /// <summary>The limit for a page on a phone over a slow connection.</summary>
    public const long MaxPageWeightBytes = 100 * 1024;

    private static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];
    private static readonly Lock WeightsLock = new();

    public IPage Page { get; } = page;

    /// <summary>
    /// Checks the page as it is now (after a navigation or a form post) and keeps its screenshot under
    /// <paramref name="name"/> (for example <c>portal-home-tr</c>). Returns the weight in bytes.
    /// </summary>
    public async Task<long> CheckAsync(string name, string? expectedLanguage = null)
    {
        var weight = await WeightOfCurrentPageAsync();
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactsDirectory, "screenshots", $"{name}.png"), FullPage = true });
        RecordWeight(name, Page.Url, weight);

        var lang = await Page.GetAttributeAsync("html", "lang");
        Assert.False(string.IsNullOrEmpty(lang), $"{name}: <html> has no lang");
        if (expectedLanguage is not null)
        {
            Assert.True(expectedLanguage == lang, $"{name}: <html lang=\"{lang}\">, not {expectedLanguage} ({Page.Url})");
            var dir = await Page.GetAttributeAsync("html", "dir");
            Assert.True((expectedLanguage == "ar" ? "rtl" : "ltr") == dir, $"{name}: <html dir=\"{dir}\"> ({Page.Url})");
        }

        Assert.True(weight < MaxPageWeightBytes, $"{name}: {weight} bytes transferred, over {MaxPageWeightBytes}");

        var result = await Page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. WcagTags] } });
        Assert.True(result.Violations.Length == 0, $"{name}: axe found violations:\n{Describe(result.Violations)}");
        return weight;
    }

    /// <summary>
    /// The bytes the current document and everything it loaded took on the wire (headers and bodies), from the
    /// browser's resource timing: what a phone on a slow connection has to fetch for this page.
    /// </summary>
    private async Task<long> WeightOfCurrentPageAsync()
    {
        var bytes = await Page.EvaluateAsync<double>(
            """
            () => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
                .reduce((sum, entry) => sum + (entry.transferSize || entry.encodedBodySize || 0), 0)
            """);
        return (long)bytes;
    }

    private static string Describe(AxeResultItem[] violations)
    {
        var text = new StringBuilder();
        foreach (var violation in violations)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {violation.Id}: {violation.Help}");
            foreach (var node in violation.Nodes.Take(5))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    {node.Html}");
            }
        }

        return text.ToString();
    }

    /// <summary>artifacts/browser at the repository's root (found from the test's output folder upwards).</summary>
    public static string ArtifactsDirectory { get; } = FindArtifactsDirectory();

    private static string FindArtifactsDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Participatie.sln")))
        {
            directory = directory.Parent;
        }

        var root = directory?.FullName ?? AppContext.BaseDirectory;
        var artifacts = Path.Combine(root, "artifacts", "browser");
        Directory.CreateDirectory(Path.Combine(artifacts, "screenshots"));
        return artifacts;
    }

    private static void RecordWeight(string name, string url, long weight)
    {
        var file = Path.Combine(ArtifactsDirectory, "page-weights.md");
        lock (WeightsLock)
        {
            if (!File.Exists(file))
            {
                File.WriteAllText(file, "| Page | Address | Bytes transferred |\n|---|---|---:|\n");
            }

            var path = new Uri(url).PathAndQuery;
            File.AppendAllText(file, string.Create(CultureInfo.InvariantCulture, $"| {name} | `{path}` | {weight:N0} |\n"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await context.CloseAsync();
    }
}
