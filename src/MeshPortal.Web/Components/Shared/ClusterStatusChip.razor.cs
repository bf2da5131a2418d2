using MeshPortal.Core.Features.Clusters;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Shared;

public partial class ClusterStatusChip
{
    [Parameter, EditorRequired] public ClusterStatus Status { get; set; }
    [Parameter] public string? Reason { get; set; }
}
