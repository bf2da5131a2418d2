using MeshPortal.Core.Features.Clusters;

namespace MeshPortal.Web.ViewModels;

/// <summary>One row of the cluster list; pure mapping from the stored cluster.</summary>
public sealed record ClusterRowViewModel(
    string Name,
    string Context,
    string Labels,
    string KubernetesVersion,
    string IstioVersion,
    string Gateway,
    string Dns,
    DateTimeOffset? LastCheckedAt,
    ClusterStatus Status,
    string StatusReason)
{
    public const string Missing = "—";

    public static ClusterRowViewModel From(ClusterView c, DateTimeOffset now)
    {
        var status = c.StatusAt(now);
        return new ClusterRowViewModel(
            c.Name,
            c.Context,
            string.Join(" · ", new[] { c.Network, c.Region }.Where(v => !string.IsNullOrEmpty(v))),
            c.KubernetesVersion ?? Missing,
            c.IstioVersion ?? Missing,
            FormatGateway(c.GatewayAddress, c.GatewayPort),
            FormatDns(c),
            c.LastCheckedAt,
            status,
            c.LastFailedStage is { } stage && status is ClusterStatus.Unreachable or ClusterStatus.Degraded
                ? $"Failed at “{CheckStageIds.TitleOf(stage)}”. {ClusterStatusCalculator.Describe(status)}"
                : ClusterStatusCalculator.Describe(status));
    }

    public static string FormatGateway(string? address, int? port) =>
        address is null ? Missing : port is null or 443 ? address : $"{address}:{port}";

    public static string FormatDns(ClusterView c) =>
        c.DnsProxying ? "Istio DNS proxying"
        : c.IstioCoreDnsAddress is { } ip ? $"istiocoredns {ip}" + (c.DnsProvider is null ? "" : $" ({c.DnsProvider})")
        : Missing;
}
