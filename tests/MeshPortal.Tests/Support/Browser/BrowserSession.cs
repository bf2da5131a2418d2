using MeshPortal.Tests.Support.Browser.Pages;
using Microsoft.Playwright;

namespace MeshPortal.Tests.Support.Browser;

/// <summary>
/// One browser context on one portal with its first page, signed in through the real sign-in form (or not yet): the one place
/// browser tests open a context, sign in, collect console errors and take screenshots. Disposing it closes the context.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public const int Width = 1400;
    public const int Height = 900;

    private readonly BrowserFixture browser;
    private readonly List<string> consoleErrors = [];

    private BrowserSession(BrowserFixture browser, IBrowserContext context, IPage page)
    {
        this.browser = browser;
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (consoleErrors)
                {
                    consoleErrors.Add(message.Text);
                }
            }
        };
    }

    public IBrowserContext Context { get; }

    /// <summary>The first page (tab) of the context; <see cref="NewPageAsync"/> opens more in the same session.</summary>
    public IPage Page { get; }

    /// <summary>Errors the first page logged to the browser console since it opened (sign-in included).</summary>
    public IReadOnlyList<string> ConsoleErrors
    {
        get
        {
            lock (consoleErrors)
            {
                return [.. consoleErrors];
            }
        }
    }

    /// <summary>A new context on <paramref name="portal"/>, not signed in.</summary>
    public static async Task<BrowserSession> OpenAsync(BrowserFixture browser, Uri portal, int width = Width, int height = Height)
    {
        var context = await browser.Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        return new BrowserSession(browser, context, await context.NewPageAsync());
    }

    /// <summary>A new context on <paramref name="portal"/>, signed in as <paramref name="user"/> (the fixture's admin by default).</summary>
    public static async Task<BrowserSession> SignedInAsync(BrowserFixture browser, Uri portal, string user = PortalFixture.AdminUser,
        string password = PortalFixture.AdminPassword, int width = Width, int height = Height)
    {
        var session = await OpenAsync(browser, portal, width, height);
        await session.SignInAsync(user, password);
        return session;
    }

    /// <summary>Signs the session in through the sign-in form and waits until the layout names the user.</summary>
    public Task SignInAsync(string user = PortalFixture.AdminUser, string password = PortalFixture.AdminPassword) =>
        Login.SignInAsync(user, password);

    /// <summary>The first page is interactive (the Blazor circuit replaced the prerendered DOM).</summary>
    public Task WaitInteractiveAsync() => MudSelectHelper.WaitInteractiveAsync(Page);

    /// <summary>Another tab in the same session (same cookies).</summary>
    public Task<IPage> NewPageAsync() => Context.NewPageAsync();

    /// <summary>Saves test-artifacts/screenshots/<paramref name="name"/>.png of the first page.</summary>
    public Task ShotAsync(string name, bool fullPage = true) => browser.ShotAsync(Page, name, fullPage);

    public LoginPage Login => new(Page);
    public OverviewPage Overview => new(Page);
    public ClustersPage Clusters => new(Page);
    public RegisterClusterPage RegisterCluster => new(Page);
    public ClusterPage Cluster => new(Page);
    public ExportsPage Exports => new(Page);
    public ExportFormPage ExportForm => new(Page);
    public TrustPage Trust => new(Page);
    public TopologyPage Topology => new(Page);
    public ScreenPage Screen => new(Page);
    public UsersPage Users => new(Page);

    public ValueTask DisposeAsync() => Context.DisposeAsync();
}
