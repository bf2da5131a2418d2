using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Trust;

/// <summary>
/// Pure planner of the "trust" concern: the <c>istio-system</c> Namespace (create-only) and the Secret
/// <c>istio-system/cacerts</c> (owned), for every cluster that has an active intermediate. A live <c>cacerts</c> that
/// MeshPortal did not write is left alone (with a note) until the admin decides: Replace takes it over, Adopt leaves
/// that cluster's CA alone for good (a note then says whether it chains to the mesh root).
/// </summary>
public sealed class TrustPlanner(
    IReadOnlyDictionary<int, CacertsFiles> bundles,
    IReadOnlyDictionary<int, string>? pendingNotes = null,
    IReadOnlyList<X509Certificate2>? trustedRoots = null,
    DateTimeOffset? now = null,
    IReadOnlyDictionary<int, TransitionPhase>? phases = null) : IClusterPlanner
{
    public const string SourceName = "trust";

    public const string ForeignNote =
        "istio-system/cacerts exists and was not written by MeshPortal: adopt or replace it on the Trust page";

    public static readonly TrustPlanner Empty = new(new Dictionary<int, CacertsFiles>());

    public IReadOnlyList<ObjectRef> Reads(ClusterTarget cluster) =>
        bundles.ContainsKey(cluster.Id) ? [CacertsFiles.NamespaceRef, CacertsFiles.SecretRef, RootTransition.SelfSignedRef] : [];

    public PlanContribution Plan(ClusterTarget cluster, LiveObjects live)
    {
        if (!bundles.TryGetValue(cluster.Id, out var files))
        {
            return pendingNotes is not null && pendingNotes.TryGetValue(cluster.Id, out var note) ? new PlanContribution([], [note]) : PlanContribution.None;
        }

        var existing = live.Get(CacertsFiles.SecretRef);
        if (cluster.CacertsDecision == CacertsDecision.Adopt)
        {
            return existing is null ? PlanContribution.None : new PlanContribution([], [Existing(existing)]);
        }

        if (cluster.CacertsDecision == CacertsDecision.None && IsForeign(existing))
        {
            return new PlanContribution([], [ForeignNote, Existing(existing!)]);
        }

        // A first cacerts into a cluster running on its self-signed root is a root transition (see RootTransition).
        var selfSigned = live.Get(RootTransition.SelfSignedRef);
        var phase = RootTransition.Current(phases is not null && phases.TryGetValue(cluster.Id, out var stored) ? stored : null, existing, selfSigned);
        var phased = RootTransition.Files(phase, files, existing, selfSigned);
        if (phased is null)
        {
            return new PlanContribution([], [RootTransition.NoOldKeyNote]);
        }

        return new PlanContribution(
        [
            new DesiredObject(CacertsFiles.NamespaceRef, CacertsFiles.NamespaceObject(), SourceName, ApplyMode.CreateOnly),
            new DesiredObject(CacertsFiles.SecretRef, phased.ToSecret(), SourceName, ApplyMode.Owned),
        ], phase is null ? [] : [RootTransition.Note(phase.Value)]);
    }

    /// <summary>True when a live cacerts exists without MeshPortal's managed-by label.</summary>
    public static bool IsForeign(JsonObject? secret) =>
        secret is not null
        && secret["metadata"]?["labels"]?[ManagedLabels.ManagedBy]?.GetValue<string>() != ManagedLabels.ManagedByValue;

    private string Existing(JsonObject secret) =>
        ExistingCacertsCheck.Describe(secret, trustedRoots ?? [], now ?? DateTimeOffset.UtcNow);
}
