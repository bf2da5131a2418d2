using MeshPortal.Core.Features.Clusters;

namespace MeshPortal.Web.Api;

/// <summary>POST /api/v1/clusters body.</summary>
public sealed record RegisterClusterRequest(string? Name, string? Kubeconfig, string? Context, string? Network, string? Region, string? PeerApiServer = null);

/// <summary>PUT /api/v1/clusters/{name} body; omit kubeconfig to keep the stored one.</summary>
public sealed record UpdateClusterRequest(string? Kubeconfig, string? Context, string? Network, string? Region, string? PeerApiServer = null);

public sealed record CheckStageDto(string Id, string Title, string Result, long DurationMs, string Message, string? Hint)
{
    public static CheckStageDto From(CheckStage s) => new(s.Id, s.Title, s.Result.ToString().ToLowerInvariant(), s.DurationMs, s.Message, s.Hint);
}

public sealed record CheckRunDto(DateTimeOffset StartedAt, bool Passed, string Trigger, IReadOnlyList<CheckStageDto> Checks);

public sealed record ClusterDto(
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
    string Status,
    DateTimeOffset? LastCheckedAt,
    IReadOnlyList<CheckStageDto> Checks,
    IReadOnlyList<CheckRunDto>? History,
    string? PeerApiServer = null,
    bool DeployEastWestGateway = false)
{
    public static ClusterDto From(ClusterView c, DateTimeOffset now, bool includeHistory)
    {
        var latest = c.CheckRuns.FirstOrDefault();
        return new ClusterDto(
            c.Name, c.Context, c.Server, c.Network, c.Region, c.KubernetesVersion, c.IstioVersion, c.GatewayAddress, c.GatewayPort,
            c.IstioCoreDnsAddress, c.DnsProxying, c.DnsProvider,
            c.StatusAt(now).ToString(),
            c.LastCheckedAt,
            latest is null ? [] : latest.Stages.Select(CheckStageDto.From).ToList(),
            includeHistory
                ? c.CheckRuns.Select(r => new CheckRunDto(r.StartedAt, r.Passed, r.Trigger, r.Stages.Select(CheckStageDto.From).ToList())).ToList()
                : null,
            c.PeerApiServer,
            c.DeployEastWestGateway);
    }
}
