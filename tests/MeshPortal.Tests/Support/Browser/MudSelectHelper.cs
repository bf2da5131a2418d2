using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace MeshPortal.Tests.Support.Browser;

/// <summary>
/// Picks an item in a MudBlazor MudSelect, synchronising on conditions only. A MudSelect opens and closes by toggling on
/// the server, so the select is clicked once per attempt and then the open list is awaited (clicking it again while the
/// first click is still on its way would close the list under the option about to be clicked). An attempt that loses
/// its option (list re-rendered or closed) is abandoned and repeated from the start.
/// </summary>
internal static class MudSelectHelper
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The layout reports that the circuit is interactive (the prerendered DOM has been replaced).</summary>
    public static Task WaitInteractiveAsync(IPage page) =>
        Assertions.Expect(page.Locator("[data-testid=render-state]")).ToHaveAttributeAsync("data-interactive", "yes");

    public static async Task PickAsync(IPage page, string testId, string item, TimeSpan? timeout = null)
    {
        await WaitInteractiveAsync(page);
        var select = page.Locator($"[data-testid={testId}]").First;
        var openList = page.Locator(".mud-popover-open");
        var option = page.Locator(".mud-popover-open .mud-list-item:not(.mud-list-item-disabled)",
            new() { HasTextRegex = new Regex($"^\\s*{Regex.Escape(item)}\\s*$") }).First;
        var step = new LocatorClickOptions { Timeout = (float)StepTimeout.TotalMilliseconds };

        await Eventually.ReturnsAsync(async () =>
        {
            var state = await StateAsync(select);
            if (state.Value == item)
            {
                return state;
            }

            if (state.Disabled)
            {
                return state; // its choices are still loading
            }

            try
            {
                if (await openList.CountAsync() == 0)
                {
                    await select.ClickAsync(step);
                    await openList.First.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = step.Timeout });
                }

                await option.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = step.Timeout });
                await option.ClickAsync(step);
                await Assertions.Expect(openList).ToHaveCountAsync(0, new() { Timeout = step.Timeout });
            }
            catch (Exception e) when (e is PlaywrightException or TimeoutException)
            {
                // The list closed or was re-rendered under the option: close what is open and start over.
                if (await openList.CountAsync() > 0)
                {
                    await page.Keyboard.PressAsync("Escape");
                }
            }

            return await StateAsync(select);
        }, s => s.Value == item, $"{item} to be picked in {testId}", timeout ?? TimeSpan.FromSeconds(45));
    }

    private static async Task<SelectState> StateAsync(ILocator select)
    {
        var json = await select.EvaluateAsync<JsonElement>(
            """
            e => {
                const root = e.closest('.mud-select') ?? e.closest('.mud-input-control') ?? e;
                const input = e.matches('input') ? e : root.querySelector('input');
                return { value: input?.value ?? '', disabled: !!input?.disabled || root.querySelector('.mud-disabled') !== null };
            }
            """);
        return new SelectState(json.GetProperty("value").GetString() ?? "", json.GetProperty("disabled").GetBoolean());
    }

    private sealed record SelectState(string Value, bool Disabled);
}
