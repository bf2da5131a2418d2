using Microsoft.Playwright;

namespace MeshPortal.Tests.Support.Browser;

/// <summary>Debian's Chromium driven by Playwright (nothing is downloaded). Screenshots go to test-artifacts/screenshots.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public IPlaywright? Playwright { get; private set; }
    public IBrowser? Browser { get; private set; }
    public string ScreenshotDirectory { get; } = Path.Combine(Repo.Root(), "test-artifacts", "screenshots");

    public static bool Available => File.Exists(ChromiumPath);

    public async Task InitializeAsync()
    {
        if (!Available)
        {
            return;
        }

        Directory.CreateDirectory(ScreenshotDirectory);

        // Expectations wait for a condition; Playwright's 5 s default is shorter than a Blazor circuit takes to become
        // interactive on a loaded 2-core CI machine (seen in the full suite), so give every condition 15 s.
        Assertions.SetDefaultExpectTimeout(15_000);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A new context on <paramref name="portal"/>, not signed in (see <see cref="BrowserSession"/>).</summary>
    public Task<BrowserSession> OpenAsync(Uri portal, int width = BrowserSession.Width, int height = BrowserSession.Height) =>
        BrowserSession.OpenAsync(this, portal, width, height);

    /// <summary>A new context on <paramref name="portal"/>, signed in through the form (as the fixture's admin by default).</summary>
    public Task<BrowserSession> SignedInAsync(Uri portal, string user = PortalFixture.AdminUser, string password = PortalFixture.AdminPassword,
        int width = BrowserSession.Width, int height = BrowserSession.Height) =>
        BrowserSession.SignedInAsync(this, portal, user, password, width, height);

    /// <summary>Saves <paramref name="page"/> as test-artifacts/screenshots/<paramref name="name"/>.png.</summary>
    public Task ShotAsync(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = fullPage });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Playwright?.Dispose();
    }
}

/// <summary>A browser test: skipped where Chromium is missing, except in CI, where that is an error.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!BrowserFixture.Available && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"{BrowserFixture.ChromiumPath} is missing: apt-get install -y chromium";
        }
    }
}
