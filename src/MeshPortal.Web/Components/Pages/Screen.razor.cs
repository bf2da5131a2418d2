using MeshPortal.Core.Features.Alerts;
using MeshPortal.Core.Features.Topology;
using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages;

/// <summary>The wall screen: read-only, reloads on every cluster/probe event and every 15 s (so "stale" appears on its own).</summary>
public partial class Screen
{
    private WallBoard? board;
    private PeriodicTimer? timer;

    private bool revoked;

    [Inject] public required TopologyQueries Queries { get; init; }
    [Inject] public required MeshPortal.Core.Features.Exports.ExportQueries Exports { get; init; }
    [Inject] public required MeshPortal.Core.Features.Trust.TrustStatusReader Trust { get; init; }
    [Inject] public required Hangfire.JobStorage Jobs { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }
    [Inject] public required MeshPortal.Core.Features.Alerts.AlertQueries AlertQueries { get; init; }

    private MeshPortal.Core.Features.Alerts.AlertCounts? alerts;
    [Inject] public required MeshPortal.Core.Features.Tokens.ScreenTokenStore ScreenTokens { get; init; }
    [CascadingParameter] public Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState>? AuthState { get; init; }

    protected override async Task ReloadAsync()
    {
        // Opened with a screen token: it must still be valid at every refresh, so revoking it blanks open screens too.
        if (AuthState is not null && Auth.ScreenAccess.TokenId((await AuthState).User) is { } tokenId
            && !await ScreenTokens.IsValidAsync(tokenId, CancellationToken.None))
        {
            revoked = true;
            board = null;
            return;
        }

        var now = Clock.GetUtcNow();
        var snapshot = await MeshHealthLoader.LoadAsync(Queries, Exports, Trust, Jobs, now, CancellationToken.None);
        board = WallBoardBuilder.Build(snapshot.Health, snapshot.Clusters, snapshot.Results, now, Queries.StaleAfter, MeshPortal.Core.Features.Clusters.ClusterStatusCalculator.StaleAfter);
        alerts = await AlertQueries.CountsAsync(CancellationToken.None);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            timer = new PeriodicTimer(TimeSpan.FromSeconds(15));
            _ = TickAsync(timer);
        }
    }

    private async Task TickAsync(PeriodicTimer t)
    {
        try
        {
            while (await t.WaitForNextTickAsync())
            {
                await InvokeAsync(async () =>
                {
                    await ReloadAsync();
                    StateHasChanged();
                });
            }
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away.
        }
    }

    private static string Pct(int? value) => value is null ? "—" : $"{value}%";

    private string Age(DateTimeOffset? at) => StatusPresentation.Ago(at, board?.GeneratedAt ?? Clock.GetUtcNow());

    private static string LevelText(HealthLevel level) => level switch
    {
        HealthLevel.Failing => "MESH FAILING",
        HealthLevel.Warning => "MESH NEEDS ATTENTION",
        HealthLevel.Healthy => "MESH HEALTHY",
        _ => "NO CLUSTERS YET",
    };

    private static string CauseText(WallBoardTile t) =>
        t.Cause ?? (t.AffectedBy.Count > 0 ? $"affected: {string.Join(", ", t.AffectedBy)} unreachable"
            : t.State switch
            {
                TopologyStates.Ok => "all OK",
                TopologyStates.Partial => "some links fail",
                TopologyStates.Failing => "links fail",
                TopologyStates.Stale => "stale data",
                _ => "not checked yet",
            });

    private static string SyncText(string sync) => sync == "None" ? "nothing to push" : sync;

    /// <summary>A grid that fills the space: columns ≈ √n (wider when problems take the right-hand side), rows share the height.</summary>
    private static string TileGrid(int count, bool problems)
    {
        var columns = Math.Max(1, (int)Math.Ceiling(Math.Sqrt(count * (problems ? 1.0 : 1.8))));
        columns = Math.Min(columns, count);
        var rows = (int)Math.Ceiling(count / (double)columns);
        return $"grid-template-columns: repeat({columns}, 1fr); grid-template-rows: repeat({rows}, 1fr);";
    }

    public ValueTask DisposeAsync()
    {
        timer?.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
