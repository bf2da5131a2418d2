using MeshPortal.Core.Topology;
using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages;

/// <summary>The wall screen: read-only, reloads on every cluster/probe event and every 15 s (so "stale" appears on its own).</summary>
public partial class Screen
{
    private WallScreen? screen;
    private PeriodicTimer? timer;

    private bool revoked;

    [Inject] public required TopologyQueries Queries { get; init; }
    [Inject] public required MeshPortal.Core.Alerts.AlertQueries AlertQueries { get; init; }

    private MeshPortal.Core.Alerts.AlertCounts? alerts;
    [Inject] public required MeshPortal.Core.Security.ScreenTokenStore ScreenTokens { get; init; }
    [CascadingParameter] public Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState>? AuthState { get; init; }

    protected override async Task ReloadAsync()
    {
        // Opened with a screen token: it must still be valid at every refresh, so revoking it blanks open screens too.
        if (AuthState is not null && Auth.ScreenAccess.TokenId((await AuthState).User) is { } tokenId
            && !await ScreenTokens.IsValidAsync(tokenId, CancellationToken.None))
        {
            revoked = true;
            screen = null;
            return;
        }

        screen = await Queries.ScreenAsync(CancellationToken.None);
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

    private static string TileColor(WallTile t) =>
        t.ApiReachable == false ? ProbePresentation.StateColor(TopologyStates.Failing)
        : t.OutPercent is < 100 || t.InPercent is < 100 ? ProbePresentation.StateColor(t.OutPercent is 0 || t.InPercent is 0 ? TopologyStates.Failing : TopologyStates.Partial)
        : t.ApiReachable == true ? ProbePresentation.StateColor(TopologyStates.Ok)
        : ProbePresentation.StateColor(TopologyStates.Unknown);

    public ValueTask DisposeAsync()
    {
        timer?.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
