using Microsoft.Playwright;

namespace MeshPortal.Tests.Support.Browser.Pages;

/// <summary>/clusters/new: name and kubeconfig, the staged connection check, then Save.</summary>
public sealed class RegisterClusterPage(IPage page) : PortalPage(page)
{
    public Task GotoAsync() => OpenAsync("/clusters/new");

    public ILocator Name => Field("field-name");
    public ILocator Kubeconfig => TextArea("field-kubeconfig");
    public ILocator RunCheck => TestId("run-check");
    public ILocator CheckSummary => TestId("check-summary");

    /// <summary>The check's stages, one element per stage (<c>data-stage</c>).</summary>
    public ILocator Stages => Page.Locator("[data-testid=check-stages] [data-stage]");

    /// <summary>Fills name and kubeconfig (the kubeconfig field is left, so the form reads its contexts).</summary>
    public async Task FillAsync(string name, string kubeconfig)
    {
        await Name.FillAsync(name);
        await Kubeconfig.FillAsync(kubeconfig);
        await Kubeconfig.BlurAsync();
    }

    /// <summary>Runs the connection check once the button is enabled.</summary>
    public async Task RunCheckAsync()
    {
        await Assertions.Expect(RunCheck).ToBeEnabledAsync();
        await RunCheck.ClickAsync();
    }

    public Task SaveAsync() => TestId("save-cluster").ClickAsync();
}
