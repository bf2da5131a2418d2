using MeshPortal.Tests.Support.Browser;
using Microsoft.Playwright;

namespace MeshPortal.Tests.Support.Browser.Pages;

/// <summary>
/// What every portal page shares: elements by test id, the layout's "interactive" marker (a click on the prerendered page
/// before the Blazor circuit is up does nothing), and MudBlazor's dialog. Page objects name a page's elements and actions once.
/// </summary>
public abstract class PortalPage(IPage page)
{
    public IPage Page { get; } = page;

    /// <summary>The element carrying <c>data-testid=<paramref name="testId"/></c>.</summary>
    public ILocator TestId(string testId) => Page.Locator($"[data-testid={testId}]");

    /// <summary>A MudTextField's input, whichever element carries the test id.</summary>
    public ILocator Field(string testId) => Field(Page, testId);

    /// <summary>A MudTextField's input on <paramref name="page"/>, for pages without a page object.</summary>
    public static ILocator Field(IPage page, string testId) => page.Locator($"[data-testid={testId}] input, input[data-testid={testId}]").First;

    /// <summary>A multi-line MudTextField's textarea, whichever element carries the test id.</summary>
    public ILocator TextArea(string testId) => Page.Locator($"[data-testid={testId}] textarea, textarea[data-testid={testId}]").First;

    /// <summary>The open MudBlazor dialog.</summary>
    public ILocator Dialog => Page.Locator(".mud-dialog");

    /// <summary>A button of the open dialog, by its text.</summary>
    public ILocator DialogButton(string text) => Page.Locator(".mud-dialog button", new() { HasText = text });

    /// <summary>The layout reports that the circuit is interactive (the prerendered DOM has been replaced).</summary>
    public Task WaitInteractiveAsync() => MudSelectHelper.WaitInteractiveAsync(Page);

    /// <summary>Navigates to <paramref name="path"/> and waits until the page is interactive.</summary>
    protected async Task OpenAsync(string path)
    {
        await Page.GotoAsync(path);
        await WaitInteractiveAsync();
    }
}
