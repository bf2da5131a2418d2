using System.Text.RegularExpressions;
using MeshPortal.Tests.Support.Browser;
using Microsoft.Playwright;

namespace MeshPortal.Tests.Support.Browser.Pages;

/// <summary>/exports/new and /exports/{id}/edit: cluster, namespace and service from live lists, consumers, preview, save.</summary>
public sealed partial class ExportFormPage(IPage page) : PortalPage(page)
{
    public Task GotoNewAsync() => OpenAsync("/exports/new");

    public Task GotoEditAsync(object id) => OpenAsync($"/exports/{id}/edit");

    public ILocator Title => TestId("export-form-title");
    public ILocator PreviewPanel => TestId("preview-panel");
    public ILocator PreviewDiff => TestId("preview-diff");
    public ILocator PreviewConflict => TestId("preview-conflict");
    public ILocator ConsumerMeaning => TestId("consumer-meaning");
    public ILocator Move => TestId("export-move");

    /// <summary>Picks the exporting cluster, then the namespace, then the service (each list loads from the one before).</summary>
    public async Task PickServiceAsync(string cluster, string @namespace, string service)
    {
        await MudSelectHelper.PickAsync(Page, "field-cluster", cluster);
        await MudSelectHelper.PickAsync(Page, "field-namespace", @namespace);
        await MudSelectHelper.PickAsync(Page, "field-service", service);
    }

    /// <summary>"Only these clusters", then ticks <paramref name="consumers"/>.</summary>
    public async Task OnlyTheseConsumersAsync(params string[] consumers)
    {
        await Page.GetByText("Only these clusters").ClickAsync();
        foreach (var consumer in consumers)
        {
            await Page.Locator(".mud-checkbox", new() { HasText = consumer }).ClickAsync();
        }
    }

    public Task PreviewAsync() => TestId("preview-export").ClickAsync();

    /// <summary>Saves and waits for the exports list the form returns to.</summary>
    public async Task SaveAsync()
    {
        await TestId("save-export").ClickAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(ExportsUrl());
    }

    [GeneratedRegex("/exports$")]
    private static partial Regex ExportsUrl();
}
