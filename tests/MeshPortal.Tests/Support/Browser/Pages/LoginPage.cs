using Microsoft.Playwright;

namespace MeshPortal.Tests.Support.Browser.Pages;

/// <summary>/login: the only page open to anonymous users.</summary>
public sealed class LoginPage(IPage page) : PortalPage(page)
{
    public ILocator Error => TestId("login-error");

    /// <summary>The signed-in user's name in the layout.</summary>
    public ILocator SignedInUser => TestId("signed-in-user");

    /// <summary>Opens /login, fills the form and submits it, without expecting any outcome.</summary>
    public async Task SubmitAsync(string user, string password)
    {
        await Page.GotoAsync("/login");
        await FillAndSubmitAsync(user, password);
    }

    /// <summary>Fills the form already on screen and submits it.</summary>
    public async Task FillAndSubmitAsync(string user, string password)
    {
        await Page.FillAsync("#username", user);
        await Page.FillAsync("#password", password);
        await Page.ClickAsync("[data-testid=login-submit]");
    }

    /// <summary>Signs in and waits until the layout names <paramref name="user"/>.</summary>
    public async Task SignInAsync(string user, string password)
    {
        await SubmitAsync(user, password);
        await Assertions.Expect(SignedInUser).ToHaveTextAsync(user);
    }
}
