using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Web.Auth;
using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace MeshPortal.Web.Components.Pages.Clusters;

/// <summary>Loads and shows a cluster's managed objects and sync runs; reloads whenever the page passes a new <see cref="Now"/>.</summary>
public sealed partial class ClusterSyncPanel
{
    private const int RunsShown = 20;

    private List<ManagedObjectRow>? objects;
    private List<SyncRunRow>? runs;
    private SyncRunRow? lastRun;
    private bool queued;

    [Parameter, EditorRequired] public int ClusterId { get; set; }
    [Parameter, EditorRequired] public required string ClusterName { get; set; }
    [Parameter, EditorRequired] public DateTimeOffset Now { get; set; }

    [Inject] public required SyncHistory Reader { get; init; }
    [Inject] public required RequestSyncCommand SyncCommand { get; init; }
    [Inject] public required CircuitClient Client { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [CascadingParameter] public required Task<AuthenticationState> AuthState { get; init; }

    protected override async Task OnParametersSetAsync()
    {
        var rows = await Reader.ObjectsAsync(ClusterId, CancellationToken.None);
        var history = await Reader.RunsAsync(ClusterId, RunsShown, CancellationToken.None);
        objects = [.. rows.Select(r => ManagedObjectRow.From(r, Now))];
        runs = [.. history.Select(r => SyncRunRow.From(r, Now))];
        var newest = runs.FirstOrDefault();
        if (queued && newest is not null && newest.Id != lastRun?.Id)
        {
            queued = false;
        }

        lastRun = newest;
    }

    private async Task SyncNowAsync()
    {
        var result = await SyncCommand.RunAsync(Client.ActorOf((await AuthState).User), ClusterName, CancellationToken.None);
        if (!result.Succeeded)
        {
            Snackbar.Add(result.Error ?? $"Sync of {ClusterName} was not queued.", Severity.Error);
            return;
        }

        queued = true;
        Snackbar.Add($"Sync of {ClusterName} queued; the result appears below.", Severity.Info);
    }
}
