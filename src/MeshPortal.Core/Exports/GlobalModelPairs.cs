using System.Collections.Concurrent;
using MeshPortal.Core.MeshModel;
using MeshPortal.Core.Reconciliation;

namespace MeshPortal.Core.Exports;

public enum PairSupport
{
    /// <summary>Both clusters can carry the export in the <c>.global</c> model.</summary>
    Supported,

    /// <summary>One side cannot: nothing is written for this pair.</summary>
    Unsupported,

    /// <summary>A side's mesh model has not been read yet (connection check not run since MeshPortal learned to read it).</summary>
    Unknown,
}

/// <summary>Whether one exporter → consumer pair can carry <c>.global</c> traffic, with the reason in plain words.</summary>
public sealed record PairVerdict(PairSupport Support, string Reason, string? Hint = null, bool Insecure = false);

/// <summary>
/// Decides exporter → consumer pairs of the <c>.global</c> model from each cluster's <see cref="MeshFacts"/> (stored by the
/// connection check) with <see cref="GlobalModelRules"/>. One instance per snapshot; per-cluster roles are computed once. Pure.
/// </summary>
public sealed class GlobalModelPairs
{
    private readonly ConcurrentDictionary<int, GlobalModelRoles?> roles = new();

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

        if (!from.Export.Supported)
        {
            return new PairVerdict(PairSupport.Unsupported, $"{exporter.Name} cannot export over .global: {from.Export.Reason}", from.Export.Hint);
        }

        if (!to.Consume.Supported)
        {
            return new PairVerdict(PairSupport.Unsupported, $"{consumer.Name} cannot consume .global services: {to.Consume.Reason}", to.Consume.Hint);
        }

        return from.Export.Insecure
            ? new PairVerdict(PairSupport.Supported, from.Export.Reason, from.Export.Hint, Insecure: true)
            : new PairVerdict(PairSupport.Supported, to.Consume.Reason);
    }
}
