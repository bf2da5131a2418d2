using Microsoft.Playwright;

namespace MeshPortal.Tests.Support.Browser.Pages;

/// <summary>/exports: one row per export with its consumers' chips, team, probe column and the row actions.</summary>
public sealed class ExportsPage(IPage page) : PortalPage(page)
{
    /// <summary>Opens /exports, with an optional query (e.g. <c>?state=Failed</c>).</summary>
    public Task GotoAsync(string query = "") => OpenAsync("/exports" + query);

    public ILocator Table => TestId("export-table");

    /// <summary>The row containing <paramref name="text"/> (a host such as httpbin.bar.global, or a cluster name).</summary>
    public ILocator Row(string text) => Page.Locator("[data-testid=export-table] tr", new() { HasText = text });

    public static ILocator ConsumerChip(ILocator row) => row.Locator("[data-testid=consumer-chip]");

    public Task RefreshAsync() => TestId("refresh-exports").ClickAsync();

    /// <summary>Refreshes the list until the row's consumer chip reads Synced.</summary>
    public Task WaitSyncedAsync(ILocator row, string what) =>
        Eventually.ReturnsAsync(async () =>
        {
            await RefreshAsync();
            return await ConsumerChip(row).InnerTextAsync();
        }, t => t.Contains("Synced", StringComparison.Ordinal), what);
}
