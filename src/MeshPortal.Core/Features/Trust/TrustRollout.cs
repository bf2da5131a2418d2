using System.Globalization;
using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Commands;
using MeshPortal.Core.Platform.Events;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using k8s.Models;

namespace MeshPortal.Core.Features.Trust;

/// <summary>One cluster's roll-out as observed now: its transition phase (null: none), what the cacerts in the cluster is written for, and the gate.</summary>
public sealed record ClusterRollout(
    string Cluster,
    string? IstioVersion,
    TransitionPhase? Phase,
    TransitionPhase? LivePhase,
    RolloutAdvice? Advice,
    string? Error,
    DateTimeOffset ObservedAt)
{
    /// <summary>The in-cluster cacerts' <c>root-cert.pem</c> and <c>ca-cert.pem</c> (public certificates), when MeshPortal wrote it.</summary>
    public string? LiveRootCertPem { get; init; }

    public string? LiveCaCertPem { get; init; }

    /// <summary>The next phase an advance would start, or null when there is none.</summary>
    public TransitionPhase? NextPhase => Phase switch
    {
        TransitionPhase.Bundle => TransitionPhase.Intermediate,
        TransitionPhase.Intermediate => TransitionPhase.Done,
        _ => null,
    };
}

/// <summary>
/// The certificate roll-out of one cluster (root transition and the restarts after any cacerts change): observe what still holds an
/// old certificate, restart the gateways (rollout restart, audited), and advance the transition phase when every proxy is current
/// (or an admin overrides the gate, audited as such). Explicit, user-started actions: these talk to the cluster on the request path.
/// </summary>
public sealed partial class TrustRollout(
    IDbContextFactory<MeshPortalDbContext> dbFactory,
    IClusterGateway gateway,
    SecretProtector secrets,
    IEnumerable<ISyncScheduler> schedulers,
    ClusterEvents events,
    TimeProvider clock,
    IAuditLog audit,
    ILogger<TrustRollout> logger)
{
    public static readonly string[] GatewayNames = ["istio-ingressgateway", "istio-eastwestgateway"];

    public async Task<ClusterRollout?> ObserveAsync(string clusterName, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cluster = await db.Clusters.AsNoTracking().SingleOrDefaultAsync(c => c.Name == clusterName, ct);
        if (cluster is null)
        {
            return null;
        }

        var stored = await db.TrustTransitions.AsNoTracking().Where(t => t.ClusterId == cluster.Id).Select(t => (TransitionPhase?)t.Phase).SingleOrDefaultAsync(ct);
        var meshRoots = await db.MeshRoots.AsNoTracking().Where(r => r.State == RootState.Active || r.State == RootState.Next).Select(r => r.CertificatePem).ToListAsync(ct);
        var now = clock.GetUtcNow();
        try
        {
            var connection = Connect(cluster);
            var cacerts = await gateway.GetObjectAsync(connection, CacertsFiles.SecretRef, ct);
            var selfSigned = await gateway.GetObjectAsync(connection, RootTransition.SelfSignedRef, ct);
            var phase = cacerts is null && selfSigned is null ? stored : RootTransition.Current(stored, cacerts, selfSigned);
            var facts = await FactsAsync(connection, cluster.IstioVersion, cacerts, ct);
            var ours = cacerts is not null && !TrustPlanner.IsForeign(cacerts);
            return new ClusterRollout(cluster.Name, cluster.IstioVersion, phase, RootTransition.LivePhase(cacerts, selfSigned, meshRoots), RolloutGate.Evaluate(facts), null, now)
            {
                LiveRootCertPem = ours ? RootTransition.File(cacerts!, "root-cert.pem") : null,
                LiveCaCertPem = ours ? RootTransition.File(cacerts!, "ca-cert.pem") : null,
            };
        }
        catch (ClusterCallException ex)
        {
            return new ClusterRollout(cluster.Name, cluster.IstioVersion, stored, null, null, $"Could not read the cluster: {ex.Message}", now);
        }
    }

    /// <summary>
    /// Rollout-restarts the gateway Deployments of istio-system that still hold an old certificate. Audited on its own: the
    /// change is in the cluster, not in a row this could be saved with.
    /// </summary>
    public async Task<TrustOutcome> RestartGatewaysAsync(string clusterName, AuditContext who, CancellationToken ct)
    {
        var outcome = await RestartGatewaysCoreAsync(clusterName, ct);
        await audit.RecordAsync(who, new AuditEvent("trust.gateways_restarted", "cluster", clusterName, outcome.Message,
            Outcome: outcome.Succeeded ? AuditOutcomes.Success : AuditOutcomes.Failed), CancellationToken.None);
        return outcome;
    }

    /// <summary>
    /// Starts the next transition phase when every proxy holds a certificate from the current cacerts (or with <paramref name="force"/>,
    /// an admin override recorded in the audit log); requests a push.
    /// </summary>
    public async Task<TrustOutcome> AdvanceAsync(string clusterName, bool force, AuditContext who, CancellationToken ct)
    {
        var (outcome, from, to) = await AdvanceCoreAsync(clusterName, force, who, ct);
        if (!outcome.Succeeded)
        {
            // A refused advance changes nothing; its record is saved on its own (a successful one went with the new phase).
            await audit.RecordAsync(who, new AuditEvent(AdvancedAction, "cluster", clusterName, outcome.Message,
                After: new { From = from?.ToString(), To = to?.ToString(), Override = force }, Outcome: AuditOutcomes.Failed), CancellationToken.None);
        }

        return outcome;
    }

    private async Task<TrustOutcome> RestartGatewaysCoreAsync(string clusterName, CancellationToken ct)
    {
        var rollout = await ObserveAsync(clusterName, ct);
        if (rollout is null)
        {
            return TrustOutcome.NotFound($"No cluster named '{clusterName}' is registered.");
        }

        if (rollout.Advice is not { } advice)
        {
            return TrustOutcome.Conflict(rollout.Error ?? $"{clusterName} could not be observed.");
        }

        if (advice.Step is RolloutStep.RestartIstiod or RolloutStep.WaitForIstiod or RolloutStep.WaitForPush)
        {
            return TrustOutcome.Conflict($"Not yet: {advice.Message} Gateways restarted now would get a certificate from the old CA again.");
        }

        if (advice.GatewayDeployments.Count == 0)
        {
            return TrustOutcome.Conflict($"No gateway in {clusterName} holds a certificate from before the current cacerts.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cluster = await db.Clusters.AsNoTracking().SingleAsync(c => c.Name == clusterName, ct);
        var connection = Connect(cluster);
        var stamp = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var restarted = new List<string>();
        try
        {
            foreach (var name in advice.GatewayDeployments)
            {
                var (ns, deployment) = (name.Split('/')[0], name.Split('/')[1]);
                var reference = new ObjectRef("apps", "v1", "deployments", "Deployment", ns, deployment);
                await gateway.ApplyAsync(connection, new DesiredObject(reference, RestartBody(ns, deployment, stamp), TrustPlanner.SourceName, ApplyMode.Merge), ct);
                restarted.Add(name);
            }
        }
        catch (ClusterCallException ex)
        {
            return TrustOutcome.Conflict($"Could not restart the gateways of {clusterName} ({string.Join(", ", restarted)} done): {ex.Message}");
        }

        LogGateways(logger, clusterName, string.Join(", ", restarted));
        events.Publish(clusterName);
        return TrustOutcome.Ok($"Gateways of {clusterName} are restarting (rollout restart at {stamp}): {string.Join(", ", restarted)}.");
    }

    private const string AdvancedAction = "trust.transition_advanced";

    private async Task<(TrustOutcome Outcome, TransitionPhase? From, TransitionPhase? To)> AdvanceCoreAsync(string clusterName, bool force, AuditContext who, CancellationToken ct)
    {
        var actor = who.Describe();
        var rollout = await ObserveAsync(clusterName, ct);
        if (rollout is null)
        {
            return (TrustOutcome.NotFound($"No cluster named '{clusterName}' is registered."), null, null);
        }

        if (rollout.NextPhase is not { } next)
        {
            return (TrustOutcome.Conflict(rollout.Phase == TransitionPhase.Done
                ? $"The root transition of {clusterName} is complete."
                : $"{clusterName} is not in a root transition (its istiod does not run on a self-signed root MeshPortal replaces)."), rollout.Phase, null);
        }

        if (!force)
        {
            if (rollout.Advice is null)
            {
                return (TrustOutcome.Conflict(rollout.Error ?? $"{clusterName} could not be observed."), rollout.Phase, null);
            }

            if (rollout.LivePhase != rollout.Phase)
            {
                return (TrustOutcome.Conflict($"The cacerts in {clusterName} is not yet the one of phase {(int)rollout.Phase!} ({rollout.Phase}): wait for the push, then restart what the page lists."), rollout.Phase, null);
            }

            if (!rollout.Advice.CanAdvance)
            {
                return (TrustOutcome.Conflict($"Phase {(int)rollout.Phase!} of {clusterName} is not rolled out: {rollout.Advice.Message}"), rollout.Phase, null);
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cluster = await db.Clusters.SingleAsync(c => c.Name == clusterName, ct);
        var row = await db.TrustTransitions.SingleOrDefaultAsync(t => t.ClusterId == cluster.Id, ct);
        if (row is null)
        {
            row = new TrustTransitionEntity { ClusterId = cluster.Id };
            db.TrustTransitions.Add(row);
        }
        else if (row.Phase != rollout.Phase)
        {
            return (TrustOutcome.Conflict($"The phase of {clusterName} changed meanwhile (now {row.Phase}); look again."), rollout.Phase, null);
        }

        row.Phase = next;
        row.PhaseSince = clock.GetUtcNow();
        row.AdvancedBy = actor.Length > 200 ? actor[..200] : actor;
        row.Overridden = force;
        var done = $"{clusterName}: phase {(int)next} of 3 ({next}) started{(force ? " (gate overridden)" : "")}; a push was requested. " +
            (next == TransitionPhase.Done ? "The old root is being dropped from root-cert.pem." : "cacerts now signs with the mesh intermediate.");
        AuditLog.Stage(db, who, new AuditEvent(AdvancedAction, "cluster", clusterName, done,
            After: new { From = rollout.Phase?.ToString(), To = next.ToString(), Override = force }), row.PhaseSince);
        await db.SaveChangesAsync(ct);
        foreach (var scheduler in schedulers)
        {
            scheduler.RequestSync([cluster.Id], TrustService.SyncTrigger);
        }

        LogAdvanced(logger, clusterName, next.ToString(), force, actor);
        events.Publish(clusterName);
        return (TrustOutcome.Ok(done), rollout.Phase, next);
    }

    private ClusterConnection Connect(ClusterEntity cluster) => secrets.ConnectionTo(cluster);

    private async Task<RolloutFacts> FactsAsync(ClusterConnection connection, string? istioVersion, JsonObject? cacerts, CancellationToken ct)
    {
        var istiods = (await gateway.ListPodsAsync(connection, CacertsFiles.Namespace, "app=istiod", ct))
            .Where(p => p.Metadata.DeletionTimestamp is null)
            .Select(p => new IstiodPodFact(p.Metadata.Name, Created(p), ReadySince(p))).ToList();
        var proxies = new List<ProxyPodFact>();
        foreach (var ns in await gateway.ListNamespacesAsync(connection, ct))
        {
            foreach (var pod in await gateway.ListPodsAsync(connection, ns.Metadata.Name, null, ct))
            {
                var proxy = pod.Spec?.Containers?.FirstOrDefault(c => c.Name == "istio-proxy");
                if (proxy is null || pod.Metadata.DeletionTimestamp is not null)
                {
                    continue;
                }

                var owner = pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true) ?? pod.Metadata.OwnerReferences?.FirstOrDefault();
                var (kind, name) = RolloutGate.Owner(owner?.Kind, owner?.Name, pod.Metadata.Labels?.TryGetValue("pod-template-hash", out var hash) == true ? hash : null);
                var isGateway = proxy.Args?.Contains("router") == true;
                proxies.Add(new ProxyPodFact(pod.Metadata.NamespaceProperty ?? ns.Metadata.Name, pod.Metadata.Name, Created(pod), kind, name, isGateway));
            }
        }

        return new RolloutFacts(istioVersion, Timestamp(cacerts?["metadata"]?["creationTimestamp"]?.GetValue<string>()), ChangedAt(cacerts), istiods, proxies);
    }

    /// <summary>When MeshPortal last changed cacerts: its server-side apply entry in managedFields (cluster clock), else its creation.</summary>
    public static DateTimeOffset? ChangedAt(JsonObject? cacerts)
    {
        if (cacerts is null)
        {
            return null;
        }

        var apply = (cacerts["metadata"]?["managedFields"] as JsonArray)?.OfType<JsonObject>()
            .Where(f => f["manager"]?.GetValue<string>() == ManagedLabels.ManagedByValue)
            .Select(f => Timestamp(f["time"]?.GetValue<string>())).Where(t => t is not null).Max();
        return apply ?? Timestamp(cacerts["metadata"]?["creationTimestamp"]?.GetValue<string>());
    }

    private static DateTimeOffset Created(V1Pod pod) =>
        pod.Metadata.CreationTimestamp is { } c ? new DateTimeOffset(DateTime.SpecifyKind(c, DateTimeKind.Utc)) : DateTimeOffset.MinValue;

    private static DateTimeOffset? ReadySince(V1Pod pod)
    {
        var ready = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        if (ready?.Status != "True")
        {
            return null;
        }

        return ready.LastTransitionTime is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : Created(pod);
    }

    private static DateTimeOffset? Timestamp(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    public static JsonObject RestartBody(string @namespace, string name, string stamp) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace },
        ["spec"] = new JsonObject
        {
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [IstiodRestarter.RestartedAtAnnotation] = stamp } },
            },
        },
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateways rollout restart in {Cluster}: {Gateways}")]
    private static partial void LogGateways(ILogger logger, string cluster, string gateways);

    [LoggerMessage(Level = LogLevel.Information, Message = "Root transition of {Cluster} advanced to {Phase} (override {Override}) by {Actor}")]
    private static partial void LogAdvanced(ILogger logger, string cluster, string phase, bool @override, string actor);
}
