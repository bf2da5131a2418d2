using MeshPortal.Core.Topology;
using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages;

/// <summary>The wall screen: read-only, reloads on every cluster/probe event and every 15 s (so "stale" appears on its own).</summary>
public partial class Screen
{
    private WallScreen? screen;
    private PeriodicTimer? timer;

    [Inject] public required TopologyQueries Queries { get; init; }

    protected override async Task ReloadAsync() => screen = await Queries.ScreenAsync(CancellationToken.None);

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
