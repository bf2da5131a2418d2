namespace MeshPortal.Core.Features.Clusters;

/// <summary>One recorded connection check: when, by whom or what, and its stages.</summary>
public sealed record CheckRunView(DateTimeOffset StartedAt, bool Passed, string Trigger, IReadOnlyList<CheckStage> Stages);

/// <summary>
/// A registered cluster as pages and the API show it (read model): what the last check found, never its credentials.
/// <see cref="CheckRuns"/> holds as many runs as the query asked for, newest first.
/// </summary>
public sealed record ClusterView(
    int Id,
    string Name,
    string Context,
    string Server,
    string? Network,
    string? Region,
    string? KubernetesVersion,
    string? IstioVersion,
    string? GatewayAddress,
    int? GatewayPort,
    string? IstioCoreDnsAddress,
    bool DnsProxying,
    string? DnsProvider,
    string? MeshFactsJson,
    string? PeerApiServer,
    bool DeployEastWestGateway,
    string? RemoteSyncProblem,
    DateTimeOffset? LastCheckedAt,
    bool? LastCheckPassed,
    string? LastFailedStage,
    DateTimeOffset CreatedAt,
    IReadOnlyList<CheckRunView> CheckRuns)
{
    public ClusterStatus StatusAt(DateTimeOffset now) => ClusterStatusCalculator.From(LastCheckedAt, LastCheckPassed, LastFailedStage, now);

    public static ClusterView From(ClusterEntity c) => new(
        c.Id, c.Name, c.Context, c.Server, c.Network, c.Region, c.KubernetesVersion, c.IstioVersion, c.GatewayAddress, c.GatewayPort,
        c.IstioCoreDnsAddress, c.DnsProxying, c.DnsProvider, c.MeshFactsJson, c.PeerApiServer, c.DeployEastWestGateway, c.RemoteSyncProblem,
        c.LastCheckedAt, c.LastCheckPassed, c.LastFailedStage, c.CreatedAt,
        [.. c.CheckRuns.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id)
            .Select(r => new CheckRunView(r.StartedAt, r.Passed, r.Trigger, ClusterService.ReadStages(r)))]);
}
