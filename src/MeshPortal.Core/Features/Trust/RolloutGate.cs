namespace MeshPortal.Core.Features.Trust;

/// <summary>A pod with an Istio proxy (sidecar or gateway), as the cluster shows it.</summary>
public sealed record ProxyPodFact(string Namespace, string Name, DateTimeOffset CreatedAt, string? OwnerKind, string? OwnerName, bool IsGateway);

/// <summary>An istiod pod: when it was created and since when it is ready (null: not ready).</summary>
public sealed record IstiodPodFact(string Name, DateTimeOffset CreatedAt, DateTimeOffset? ReadySince);

/// <summary>
/// What a cluster shows about its certificate roll-out, all in the cluster's own clock: when <c>cacerts</c> was created and last
/// changed by MeshPortal (server-side apply time in managedFields), istiod's pods, and every proxy pod.
/// </summary>
public sealed record RolloutFacts(
    string? IstioVersion,
    DateTimeOffset? CacertsCreatedAt,
    DateTimeOffset? CacertsChangedAt,
    IReadOnlyList<IstiodPodFact> Istiods,
    IReadOnlyList<ProxyPodFact> Proxies);

public enum RolloutStep
{
    /// <summary>MeshPortal has not written cacerts yet.</summary>
    WaitForPush,

    /// <summary>istiod still signs with the CA it read before the current cacerts: restart it.</summary>
    RestartIstiod,

    /// <summary>istiod is restarting (or not ready).</summary>
    WaitForIstiod,

    /// <summary>Some gateways or workloads still hold certificates from before the current cacerts.</summary>
    RestartPods,

    /// <summary>Every proxy holds a certificate and bundle from the current cacerts: the next phase may start.</summary>
    Ready,
}

/// <summary>A proxy pod that still holds a certificate from before the current cacerts, and how to restart it.</summary>
public sealed record StalePod(string Namespace, string Name, bool IsGateway, string Workload, string Command);

public sealed record RolloutAdvice(
    RolloutStep Step,
    string Message,
    bool? IstiodStartedPlugged,
    DateTimeOffset? CurrentSince,
    IReadOnlyList<StalePod> Stale,
    IReadOnlyList<string> Commands,
    IReadOnlyList<string> GatewayDeployments)
{
    public bool CanAdvance => Step == RolloutStep.Ready;
}

/// <summary>
/// Pure gate of a roll-out step: is every proxy of the cluster on a certificate (and root bundle) from the current <c>cacerts</c>?
/// The current CA signs since istiod started after the change, or since the change itself when istiod reloads plugged certs
/// (<see cref="IstioCaReload"/>); a proxy created before that holds an older certificate until it is recreated (proxies never
/// refresh their root bundle on their own in the simulator; a real proxy rotates its leaf within hours, but the roll-out does not
/// wait for that). Timestamps have one-second resolution, so the gate is strict where a second is ambiguous: an istiod created in the same second as
/// the cacerts change may have read the old one (restart it again), and a proxy created in the same second as the current CA took effect
/// counts as old (restart it again): a second too many is cheap, an old certificate after the old root is dropped breaks traffic.
/// </summary>
public static class RolloutGate
{
    public static RolloutAdvice Evaluate(RolloutFacts facts)
    {
        if (facts.CacertsChangedAt is not { } changed)
        {
            return Advice(RolloutStep.WaitForPush, "MeshPortal has not written istio-system/cacerts yet; the push is queued.", null, null, []);
        }

        var ready = facts.Istiods.Where(i => i.ReadySince is not null).ToList();
        var startedPlugged = ready.Count == 0 ? (bool?)null : ready.All(i => facts.CacertsCreatedAt is { } created && i.CreatedAt > created);
        if (ready.Count == 0 || ready.Count < facts.Istiods.Count)
        {
            return Advice(RolloutStep.WaitForIstiod, ready.Count == 0 ? "No istiod pod is ready: wait for istiod to start." : "istiod is rolling out: wait until every istiod pod is ready.",
                startedPlugged, null, []);
        }

        DateTimeOffset since;
        if (ready.All(i => i.CreatedAt > changed))
        {
            since = ready.Max(i => i.ReadySince!.Value);
        }
        else if (!IstioCaReload.NeedsRestart(facts.IstioVersion, startedPlugged))
        {
            since = changed;
        }
        else
        {
            var why = IstioCaReload.Parse(facts.IstioVersion) is { } v && v >= IstioCaReload.AutoReloadSince
                ? $"istiod {facts.IstioVersion} started on its self-signed root, so it does not reload cacerts by itself"
                : $"istiod {facts.IstioVersion ?? "(unknown version)"} reads cacerts only when it starts";
            return Advice(RolloutStep.RestartIstiod, $"Restart istiod: {why}; it still signs with the CA it read before the cacerts change.", startedPlugged, null, []);
        }

        var stale = facts.Proxies.Where(p => p.CreatedAt <= since).OrderBy(p => !p.IsGateway).ThenBy(p => p.Namespace, StringComparer.Ordinal)
            .ThenBy(p => p.Name, StringComparer.Ordinal).Select(ToStale).ToList();
        return stale.Count == 0
            ? Advice(RolloutStep.Ready, "Every gateway and workload holds a certificate and trust bundle from the current cacerts.", startedPlugged, since, [])
            : Advice(RolloutStep.RestartPods,
                $"{stale.Count} pod(s) still hold a certificate from before the current cacerts: restart the gateways, then the workloads.", startedPlugged, since, stale);
    }

    private static RolloutAdvice Advice(RolloutStep step, string message, bool? plugged, DateTimeOffset? since, IReadOnlyList<StalePod> stale) =>
        new(step, message, plugged, since, stale,
            stale.Select(s => s.Command).Distinct().ToList(),
            stale.Where(s => s.IsGateway && s.Workload.StartsWith("deployment/", StringComparison.Ordinal))
                .Select(s => $"{s.Namespace}/{s.Workload["deployment/".Length..]}").Distinct().ToList());

    private static StalePod ToStale(ProxyPodFact p)
    {
        var workload = p.OwnerKind switch
        {
            "Deployment" or "StatefulSet" or "DaemonSet" => $"{p.OwnerKind.ToLowerInvariant()}/{p.OwnerName}",
            _ => $"pod/{p.Name}",
        };
        var command = workload.StartsWith("pod/", StringComparison.Ordinal)
            ? $"kubectl delete pod {p.Name} -n {p.Namespace}"
            : $"kubectl rollout restart {workload} -n {p.Namespace}";
        return new StalePod(p.Namespace, p.Name, p.IsGateway, workload, command);
    }

    /// <summary>The workload that owns a pod: a ReplicaSet <c>name-hash</c> belongs to Deployment <c>name</c> (its pod-template-hash).</summary>
    public static (string? Kind, string? Name) Owner(string? ownerKind, string? ownerName, string? podTemplateHash)
    {
        if (ownerKind == "ReplicaSet" && ownerName is not null)
        {
            if (podTemplateHash is { Length: > 0 } && ownerName.EndsWith("-" + podTemplateHash, StringComparison.Ordinal))
            {
                return ("Deployment", ownerName[..^(podTemplateHash.Length + 1)]);
            }

            var dash = ownerName.LastIndexOf('-');
            return dash > 0 ? ("Deployment", ownerName[..dash]) : ("ReplicaSet", ownerName);
        }

        return (ownerKind, ownerName);
    }
}
