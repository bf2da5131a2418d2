using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages.TrustParts;

public partial class ClusterTrustTable
{
    [Parameter, EditorRequired] public required IReadOnlyList<ClusterTrustRow> Rows { get; set; }
    [Parameter] public bool Busy { get; set; }
    [Parameter] public EventCallback<(string Action, string Cluster)> OnAction { get; set; }
}
