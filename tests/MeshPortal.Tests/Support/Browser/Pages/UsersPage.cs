using Microsoft.Playwright;

namespace MeshPortal.Tests.Support.Browser.Pages;

/// <summary>/admin/users: one row per user with inline role and team selects, status and Lock.</summary>
public sealed class UsersPage(IPage page) : PortalPage(page)
{
    public Task GotoAsync() => OpenAsync("/admin/users");

    public ILocator Table => TestId("users-table");

    /// <summary>The row containing <paramref name="user"/> (any text match).</summary>
    public ILocator Row(string user) => Page.Locator("[data-testid=users-table] tr", new() { HasText = user });

    /// <summary>The row whose user name is exactly <paramref name="user"/>.</summary>
    public ILocator ExactRow(string user) =>
        Page.Locator("[data-testid=users-table] tr").Filter(new() { Has = Page.GetByTestId("user-name").GetByText(user, new() { Exact = true }) });

    public static ILocator Role(ILocator row) => row.Locator("[data-testid=user-role]");
    public static ILocator Teams(ILocator row) => row.Locator("[data-testid=user-teams]");
    public static ILocator Status(ILocator row) => row.Locator("[data-testid=user-status]");
    public static ILocator Lock(ILocator row) => row.Locator("[data-testid=lock-user]");
}
