using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.MultiCluster;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages.Clusters;

public partial class RemoteClustersCard
{
    [Inject] public required RemoteClusterStatus Status { get; init; }

    [Parameter, EditorRequired] public required string ClusterName { get; set; }

    /// <summary>What the recurring check stored (null: all synced); istiod itself is asked only when the user clicks.</summary>
    [Parameter] public string? StoredProblem { get; set; }

    [Parameter] public DateTimeOffset? CheckedAt { get; set; }

    private RemoteClusterReport? report;
    private bool loading;

    private async Task LoadAsync()
    {
        loading = true;
        try
        {
            report = await Status.ReadAsync(ClusterName, CancellationToken.None);
        }
        finally
        {
            loading = false;
        }
    }
}
