using MeshPortal.Core.Features.Alerts;
using MeshPortal.Core.Features.Topology;
using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace MeshPortal.Web.Components.Pages;

public partial class Overview
{
    [Inject] public required TopologyQueries Topology { get; init; }
    [Inject] public required MeshPortal.Core.Features.Exports.ExportQueries Exports { get; init; }
    [Inject] public required MeshPortal.Core.Features.Trust.TrustStatusReader Trust { get; init; }
    [Inject] public required Hangfire.JobStorage Jobs { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }
    [Inject] public required MeshPortal.Core.Features.Alerts.AlertQueries AlertQueries { get; init; }

    private MeshHealthSnapshot? snapshot;
    private MeshPortal.Core.Features.Alerts.AlertCounts? alerts;

    protected override async Task ReloadAsync()
    {
        snapshot = await MeshHealthLoader.LoadAsync(Topology, Exports, Trust, Jobs, Clock.GetUtcNow(), CancellationToken.None);
        alerts = await AlertQueries.CountsAsync(CancellationToken.None);
    }

    private static Severity LevelSeverity(HealthLevel level) => level switch
    {
        HealthLevel.Failing => Severity.Error,
        HealthLevel.Warning => Severity.Warning,
        HealthLevel.Healthy => Severity.Success,
        _ => Severity.Info,
    };

    public static string KindLabel(ProblemKind kind) => kind switch
    {
        ProblemKind.ClusterUnreachable => "Cluster unreachable",
        ProblemKind.GatewayUnreachable => "Gateway unreachable",
        ProblemKind.SourceBroken => "Consumer broken",
        ProblemKind.LinkFailing => "Link failing",
        ProblemKind.SyncFailed => "Out of sync",
        ProblemKind.TrustExpiring => "Certificate",
        _ => "Jobs",
    };
}
