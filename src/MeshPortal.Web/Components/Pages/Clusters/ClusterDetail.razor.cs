using MeshPortal.Core.Features.Clusters;
using MeshPortal.Web.Auth;
using MeshPortal.Web.Components.Shared;
using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace MeshPortal.Web.Components.Pages.Clusters;

public sealed partial class ClusterDetail
{
    private const int HistoryShown = ClusterService.CheckHistoryDepth;

    private ClusterView? cluster;
    private ClusterRowViewModel? row;
    private DateTimeOffset now;
    private bool loaded;
    private bool busy;
    private IReadOnlyList<MeshPortal.Core.Features.Topology.HealthProblem> problems = [];

    [Parameter] public required string Name { get; set; }

    [Inject] public required ClusterService Clusters { get; init; }
    [Inject] public required ClusterQueries ClusterViews { get; init; }
    [Inject] public required CircuitClient Client { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }
    [Inject] public required MeshPortal.Core.Features.Topology.TopologyQueries Topology { get; init; }
    [Inject] public required MeshPortal.Core.Features.Exports.ExportQueries Exports { get; init; }
    [Inject] public required MeshPortal.Core.Features.Trust.TrustStatusReader Trust { get; init; }
    [CascadingParameter] public required Task<AuthenticationState> AuthState { get; init; }

    protected override async Task OnParametersSetAsync()
    {
        if (cluster is not null && cluster.Name != Name)
        {
            await ReloadAsync();
        }
    }

    protected override async Task ReloadAsync()
    {
        now = Clock.GetUtcNow();
        cluster = await ClusterViews.GetAsync(Name, HistoryShown, CancellationToken.None);
        row = cluster is null ? null : ClusterRowViewModel.From(cluster, now);
        // The same root causes the Overview lists, for those fixed on this page (a green "Connected" alone hid a dead gateway).
        problems = cluster is null ? [] : ClusterProblems.For((await MeshHealthLoader.LoadAsync(Topology, Exports, Trust, null, now, CancellationToken.None)).Health, cluster.Name);
        loaded = true;
    }

    private async Task RecheckAsync()
    {
        busy = true;
        var user = (await AuthState).User;
        var report = await Clusters.RecheckAsync(Name, Client.For(user), CancellationToken.None);
        busy = false;
        if (report is null)
        {
            Snackbar.Add($"Cluster {Name} no longer exists.", Severity.Warning);
        }
        else
        {
            Snackbar.Add(report.Passed ? "Check passed." : "Check finished with failures; see the stages.", report.Passed ? Severity.Success : Severity.Warning);
        }

        await ReloadAsync();
    }

    private async Task DeleteAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            $"Delete cluster {Name}?",
            "MeshPortal forgets this cluster, its stored kubeconfig and its check history. Nothing is removed from the cluster itself.",
            yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        busy = true;
        await Clusters.DeleteAsync(Name, Client.For((await AuthState).User), CancellationToken.None);
        Snackbar.Add($"Cluster {Name} deleted.", Severity.Success);
        Navigation.NavigateTo(PortalUrls.Clusters());
    }
}
