using System.Text.Json;
using Microsoft.Playwright;

namespace MeshPortal.Tests.Support.Browser;

/// <summary>
/// Layout checks run in the page (issue 16's "values split mid-token"): a word is one run of non-space characters in a
/// text node; it is broken mid-token when the browser lays it out on more than one line (more than one client rect).
/// Words wider than their container cannot fit on one line and are not counted, nor text inside [data-break-ok] (the wall
/// screen's tile names, in type so large that a long name must wrap).
/// </summary>
internal static class LayoutProbe
{
    private const string BrokenWordsScript =
        """
        root => {
            const broken = [];
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const parent = node.parentElement;
                if (!parent || parent.closest('[aria-hidden=true], .mud-tooltip, svg, [data-break-ok]') || parent.offsetParent === null) continue;
                const room = parent.closest('td, th, li, p, div')?.clientWidth ?? root.clientWidth;
                const re = /\S+/g;
                let m;
                while ((m = re.exec(node.data)) !== null) {
                    const range = document.createRange();
                    range.setStart(node, m.index);
                    range.setEnd(node, m.index + m[0].length);
                    const rects = [...range.getClientRects()].filter(r => r.width > 0);
                    if (rects.length <= 1) continue;
                    const tops = new Set(rects.map(r => Math.round(r.top)));
                    const width = rects.reduce((w, r) => w + r.width, 0);
                    if (tops.size > 1 && width < room * 0.95) broken.push(m[0]);
                }
            }
            return broken;
        }
        """;

    /// <summary>The words inside <paramref name="root"/> that are laid out across two or more lines although they would fit on one.</summary>
    public static async Task<IReadOnlyList<string>> BrokenWordsAsync(ILocator root)
    {
        var json = await root.EvaluateAsync<JsonElement>(BrokenWordsScript);
        return [.. json.EnumerateArray().Select(e => e.GetString()!)];
    }

    /// <summary>How far the page scrolls sideways (0 when nothing sticks out of the viewport).</summary>
    public static Task<int> HorizontalOverflowAsync(IPage page) =>
        page.EvaluateAsync<int>("() => Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth)");
}
