using MeshPortal.Core.Platform.Persistence;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Shared;

public partial class ListPager
{
    [Parameter, EditorRequired] public required PageWindow Window { get; set; }
    [Parameter, EditorRequired] public required string One { get; set; }
    [Parameter, EditorRequired] public required string Many { get; set; }

    /// <summary>The URL of a page number (the current filters kept).</summary>
    [Parameter, EditorRequired] public required Func<int, string> HrefOf { get; set; }
    [Parameter] public string TestId { get; set; } = "list";
}
