using MeshPortal.Core.Features.Alerts;
using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages.AlertParts;

public partial class AlertsPage
{
    [Inject] public required AlertQueries Queries { get; init; }
    [Inject] public required AlertEvents AlertEvents { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }

    private List<AlertRowViewModel>? rows;
    private AlertCounts? counts;
    private string state = "Active";
    private string severity = "";
    private string? cluster;
    private string? team;
    private string? text;
    private SilencePanel? silenceForm;
    private bool subscribed;

    protected override async Task OnInitializedAsync()
    {
        await ReloadAsync();
        if (RendererInfo.IsInteractive)
        {
            AlertEvents.Changed += OnChanged;
            subscribed = true;
        }
    }

    private async Task ReloadAsync()
    {
        var now = Clock.GetUtcNow();
        AlertSeverity? sev = Enum.TryParse<AlertSeverity>(severity, out var s) ? s : null;
        rows = [.. (await Queries.ListAsync(new AlertFilter(state == "All" ? null : state, sev, null, cluster, team, text), CancellationToken.None)).Select(a => AlertRowViewModel.From(a, now))];
        counts = await Queries.CountsAsync(CancellationToken.None);
    }

    private async Task SetAsync(Action change)
    {
        change();
        await ReloadAsync();
    }

    private void OnChanged() => _ = InvokeAsync(async () =>
    {
        try
        {
            await ReloadAsync();
            StateHasChanged();
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    });

    public void Dispose()
    {
        if (subscribed)
        {
            AlertEvents.Changed -= OnChanged;
        }
    }
}
