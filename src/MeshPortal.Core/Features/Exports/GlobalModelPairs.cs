using System.Collections.Concurrent;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Sync;

namespace MeshPortal.Core.Features.Exports;

public enum PairSupport
{
    /// <summary>Both clusters can carry the export in the <c>.global</c> model.</summary>
    Supported,

    /// <summary>One side cannot: nothing is written for this pair.</summary>
    Unsupported,

    /// <summary>A side's mesh model has not been read yet (connection check not run since MeshPortal learned to read it).</summary>
    Unknown,
}

/// <summary>The multi-cluster model an exporter → consumer pair uses.</summary>
public enum PairModel
{
    /// <summary>The seed's <c>.global</c> model: ServiceEntries, DNS for .global, the *.global passthrough.</summary>
    Global,

    /// <summary>Multi-primary: remote secrets, names under <c>.svc.cluster.local</c> (or <c>.svc.clusterset.local</c> with MCS hosts).</summary>
    MultiPrimary,
}

/// <summary>Whether one exporter → consumer pair can carry traffic, in which model, with the reason in plain words.</summary>
public sealed record PairVerdict(PairSupport Support, string Reason, string? Hint = null, bool Insecure = false, PairModel Model = PairModel.Global)
{
    public bool IsGlobal => Support == PairSupport.Supported && Model == PairModel.Global;

    public bool IsMultiPrimary => Support == PairSupport.Supported && Model == PairModel.MultiPrimary;
}

/// <summary>
/// Decides exporter → consumer pairs from each cluster's <see cref="MeshFacts"/> (stored by the connection check): the
/// <c>.global</c> model where <see cref="GlobalModelRules"/> says both sides can carry it securely (the clusters that still
/// run it keep it), else multi-primary where <see cref="MultiPrimaryRules"/> says both can join one mesh, else the
/// <c>.global</c> model's insecure "yes", else Unsupported with the reason. One instance per snapshot. Pure.
/// </summary>
public sealed class GlobalModelPairs
{
    private readonly ConcurrentDictionary<int, GlobalModelRoles?> roles = new();
    private readonly ConcurrentDictionary<int, bool> primaries = new();

    public GlobalModelRoles? Roles(ClusterTarget cluster) =>
        roles.GetOrAdd(cluster.Id, _ => cluster.Mesh is null ? null : GlobalModelRules.Decide(cluster.Mesh));

    public PairVerdict Decide(ClusterTarget exporter, ClusterTarget consumer)
    {
        var from = Roles(exporter);
        var to = Roles(consumer);
        if (from is null || to is null)
        {
            var missing = from is null ? exporter.Name : consumer.Name;
            return new PairVerdict(PairSupport.Unknown,
                $"Not pushed yet: MeshPortal has not read the mesh model of {missing} (Istio version, gateways, DNS); run its connection check.",
                $"Run the connection check of {missing}.");
        }

        var global = from.Export.Supported && to.Consume.Supported;
        if (global && !from.Export.Insecure)
        {
            return new PairVerdict(PairSupport.Supported, to.Consume.Reason);
        }

        if (MultiPrimary(exporter, consumer) is { } modern)
        {
            return modern;
        }

        if (!from.Export.Supported)
        {
            return new PairVerdict(PairSupport.Unsupported, $"{exporter.Name} cannot export over .global: {from.Export.Reason}", from.Export.Hint);
        }

        if (!to.Consume.Supported)
        {
            return new PairVerdict(PairSupport.Unsupported, $"{consumer.Name} cannot consume .global services: {to.Consume.Reason}", to.Consume.Hint);
        }

        return new PairVerdict(PairSupport.Supported, from.Export.Reason, from.Export.Hint, Insecure: true);
    }

    /// <summary>The verdict for one export's pair in its move phase (<see cref="ExportMoveRules.Effective"/>).</summary>
    public PairVerdict DecideFor(ClusterTarget exporter, ClusterTarget consumer, ExportMovePhase phase)
    {
        var current = Decide(exporter, consumer);
        return phase == ExportMovePhase.None || current.Support != PairSupport.Supported ? current : ExportMoveRules.Effective(phase, current, Modern(exporter, consumer));
    }

    /// <summary>The pair as a move sees it: today's verdict and the multi-primary one it could have.</summary>
    public MovePair MovePair(ClusterTarget exporter, ClusterTarget consumer) =>
        new(consumer.Name, Decide(exporter, consumer), exporter.Mesh is null || consumer.Mesh is null ? null : Modern(exporter, consumer));

    /// <summary>Whether the modern objects are written for this pair besides what its verdict writes (a move under way).</summary>
    public bool WritesModern(ClusterTarget exporter, ClusterTarget consumer, ExportMovePhase phase) =>
        phase == ExportMovePhase.Moving && MovePair(exporter, consumer) is { } pair && ExportMoveRules.WritesModern(phase, pair.Current, pair.Modern);

    private bool IsPrimary(ClusterTarget cluster) => primaries.GetOrAdd(cluster.Id, _ => MultiPrimaryRules.Decide(cluster.Mesh!).Supported);

    /// <summary>The multi-primary verdict when both clusters can join one mesh and agree on it (distinct cluster IDs, one mesh ID); else null.</summary>
    public PairVerdict? Modern(ClusterTarget exporter, ClusterTarget consumer) =>
        exporter.Mesh is null || consumer.Mesh is null ? null : MultiPrimary(exporter, consumer);

    /// <summary>Both clusters can join a multi-primary mesh and agree on it (distinct cluster IDs, one mesh ID).</summary>
    private PairVerdict? MultiPrimary(ClusterTarget exporter, ClusterTarget consumer)
    {
        var (a, b) = (exporter.Mesh!, consumer.Mesh!);
        if (!IsPrimary(exporter) || !IsPrimary(consumer))
        {
            return null;
        }

        if (a.IstioClusterId == b.IstioClusterId || !string.Equals(a.MeshId ?? "", b.MeshId ?? "", StringComparison.Ordinal))
        {
            return null;
        }

        var name = consumer.Mesh!.McsHost ? "name.namespace.svc.clusterset.local" : "name.namespace.svc.cluster.local";
        return new PairVerdict(PairSupport.Supported,
            $"Multi-primary: {consumer.Name}'s istiod discovers {exporter.Name} (cluster ID {a.IstioClusterId}) through a remote secret; consumers call {name}.",
            Model: PairModel.MultiPrimary);
    }
}
