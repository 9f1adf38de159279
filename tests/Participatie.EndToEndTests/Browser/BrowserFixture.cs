using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Participatie.EndToEndTests.Browser.BrowserFixture))]

namespace Participatie.EndToEndTests.Browser;

/// <summary>
/// One headless chromium for every browser test of the run: Debian's package (eng/ensure-chromium.sh installs it),
/// because Playwright cannot download its own browser here. <c>PARTICIPATIE_CHROMIUM</c> names another executable.
/// Each test opens its own context (cookies, language) with <see cref="NewPageAsync"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("PARTICIPATIE_CHROMIUM") is { Length: > 0 } path
        ? path
        : "/usr/bin/chromium";

    public async ValueTask InitializeAsync()
    {
        // Each run records its own page weights (BrowserPage.CheckAsync appends to the file).
        File.Delete(Path.Combine(BrowserPage.ArtifactsDirectory, "page-weights.md"));
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Root in a container has no user namespace for chromium's sandbox.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>
    /// A page in a fresh context (no cookies), with the browser's preferred language set (Accept-Language), on a
    /// phone-sized screen unless a width is given. Every response's transferred size is counted in <see cref="BrowserPage.Weight"/>.
    /// </summary>
    public async Task<BrowserPage> NewPageAsync(string baseUrl, string locale = "nl-NL", int width = 390, int height = 844)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            Locale = locale,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        return new BrowserPage(context, page);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
