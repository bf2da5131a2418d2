using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages.Exports;

public partial class ExportConsumerChips
{
    [Parameter, EditorRequired] public required ConsumerSummaryViewModel Summary { get; set; }

    /// <summary>The consumer whose reason and times are shown (its chip pressed), or null.</summary>
    private string? open;

    private void Toggle(string cluster) => open = open == cluster ? null : cluster;
}
