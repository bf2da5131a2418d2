using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Shared;

public partial class EmptyState
{
    [Parameter, EditorRequired] public required string Icon { get; set; }
    [Parameter, EditorRequired] public required string Title { get; set; }

    /// <summary>The title's element: h2 under a page's h1, h1 where the empty state is the whole page (not found, access denied).</summary>
    [Parameter] public string TitleTag { get; set; } = "h2";
    [Parameter] public RenderFragment? ChildContent { get; set; }
    [Parameter] public RenderFragment? Actions { get; set; }
}
