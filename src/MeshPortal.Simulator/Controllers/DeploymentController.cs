using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MeshPortal.Simulator.Mesh;
using MeshPortal.Simulator.Store;

namespace MeshPortal.Simulator.Controllers;

/// <summary>
/// Kubernetes' Deployment and ReplicaSet controllers, reduced to what the mesh needs: a Deployment has <c>spec.replicas</c> pods of
/// its current pod template, named <c>name-&lt;pod-template-hash&gt;-&lt;suffix&gt;</c> and owned by ReplicaSet <c>name-&lt;hash&gt;</c>.
/// A changed template (e.g. <c>kubectl rollout restart</c>'s <c>kubectl.kubernetes.io/restartedAt</c> annotation, or new env) replaces
/// every pod, new ones first (maxSurge); a deleted pod is replaced by one with a new name; deleting the Deployment deletes its pods.
/// Status (observedGeneration, replicas, updated/ready/available) follows the pods, as <c>kubectl rollout status</c> reads it.
/// The first pod of a template gets a deterministic name; later ones a random suffix, as on a real cluster.
/// </summary>
internal sealed class DeploymentController(SimulatedCluster cluster)
{
    private const string Manager = "kube-controller-manager";
    private const string SuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    private readonly Dictionary<string, int> _created = new(StringComparer.Ordinal);

    /// <summary>
    /// Pod names by owning Deployment ("ns/name"), noted when a pod is admitted: every name a pod of the Deployment ever had, a
    /// superset that <see cref="OwnedPods"/> checks against the store. Scanning every pod of the namespace on each pod change
    /// made seeding thousands of Deployments quadratic (4,000 took 65 s).
    /// </summary>
    private readonly Dictionary<string, SortedSet<string>> _podNames = new(StringComparer.Ordinal);

    /// <summary>Called for every pod before it is stored (<see cref="ClusterControllers.BeforePut"/>).</summary>
    public void AdmitPod(JsonObject pod)
    {
        if (Owner(pod) is { } owner)
        {
            var key = ObjectStore.Key(pod.Namespace(), owner);
            if (!_podNames.TryGetValue(key, out var names))
            {
                _podNames[key] = names = new SortedSet<string>(StringComparer.Ordinal);
            }

            names.Add(pod.Name());
        }
    }

    /// <summary>The stored pods the Deployment owns, in name order (what a scan of the namespace's pods by owner finds).</summary>
    private List<JsonObject> OwnedPods(string ns, string name)
    {
        if (!_podNames.TryGetValue(ObjectStore.Key(ns, name), out var names))
        {
            return [];
        }

        var type = cluster.Catalog.FindByPlural("", "pods")!;
        var pods = new List<JsonObject>(names.Count);
        List<string>? deleted = null;
        foreach (var podName in names)
        {
            var pod = cluster.Store.Find(type, ns, podName);
            if (pod is null)
            {
                (deleted ??= []).Add(podName);
            }
            else if (Owner(pod) == name)
            {
                pods.Add(pod);
            }
        }

        // Deleted: a pod admitted again under this name is noted again.
        deleted?.ForEach(podName => names.Remove(podName));
        return pods;
    }

    public void DeploymentChanged(JsonObject? old, JsonObject? next)
    {
        var deployment = next ?? old!;
        Reconcile(deployment.Namespace(), deployment.Name());
    }

    public void PodChanged(JsonObject? old, JsonObject? next)
    {
        var pod = next ?? old!;
        if (Owner(pod) is { } owner)
        {
            Reconcile(pod.Namespace(), owner);
        }
    }

    /// <summary>The Deployment that owns a pod, from its ReplicaSet owner reference (<c>name-hash</c>).</summary>
    public static string? Owner(JsonObject pod)
    {
        var rs = pod.Objects("metadata", "ownerReferences").FirstOrDefault(o => o.Str("kind") == "ReplicaSet")?.Str("name");
        var dash = rs?.LastIndexOf('-') ?? -1;
        return dash > 0 ? rs![..dash] : null;
    }

    private void Reconcile(string ns, string name)
    {
        var deployment = cluster.Store.Find(cluster.Catalog.FindByPlural("apps", "deployments")!, ns, name);
        var pods = OwnedPods(ns, name);
        if (deployment is null)
        {
            foreach (var pod in pods)
            {
                cluster.Operations.Remove(cluster.Catalog.FindByPlural("", "pods")!, ns, pod.Name());
            }

            return;
        }

        if (cluster.Store.Find(cluster.Catalog.FindByPlural("", "namespaces")!, null, ns) is null)
        {
            return;
        }

        var template = deployment["spec"]?["template"] as JsonObject ?? new JsonObject();
        var hash = TemplateHash(template);
        var replicas = (int)(deployment.Num("spec", "replicas") ?? 1);
        var current = pods.Where(p => p.Str("metadata", "labels", "pod-template-hash") == hash).ToList();
        for (var i = current.Count; i < replicas; i++)
        {
            current.Add(cluster.Operations.Put(PodFrom(deployment, template, hash), Manager));
        }

        var podType = cluster.Catalog.FindByPlural("", "pods")!;
        foreach (var stale in pods.Except(current).Concat(current.Skip(replicas)).ToList())
        {
            cluster.Operations.Remove(podType, ns, stale.Name());
        }

        UpdateStatus(ns, name);
    }

    private void UpdateStatus(string ns, string name)
    {
        var stored = cluster.Store.Find(cluster.Catalog.FindByPlural("apps", "deployments")!, ns, name);
        if (stored is null)
        {
            return;
        }

        var template = stored["spec"]?["template"] as JsonObject ?? new JsonObject();
        var hash = TemplateHash(template);
        var pods = OwnedPods(ns, name);
        var deployment = stored;
        var updated = pods.Count(p => p.Str("metadata", "labels", "pod-template-hash") == hash);
        var ready = pods.Count(PodFacts.IsReady);
        var replicas = deployment.Num("spec", "replicas") ?? 1;
        var since = deployment.Str("status", "conditions") is null
            ? cluster.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)
            : null;
        var status = new JsonObject
        {
            ["observedGeneration"] = deployment.Num("metadata", "generation") ?? 1,
            ["replicas"] = pods.Count,
            ["updatedReplicas"] = updated,
            ["readyReplicas"] = ready,
            ["availableReplicas"] = ready,
        };
        if (pods.Count - ready > 0)
        {
            status["unavailableReplicas"] = pods.Count - ready;
        }

        var stamp = deployment.Objects("status", "conditions").FirstOrDefault()?.Str("lastTransitionTime") ?? since
            ?? cluster.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var available = ready >= replicas;
        status["conditions"] = new JsonArray(
            Condition("Available", available, available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                available ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", stamp),
            Condition("Progressing", true, "NewReplicaSetAvailable", $"ReplicaSet \"{name}-{hash}\" has successfully progressed.", stamp));
        if (JsonNode.DeepEquals(deployment["status"], status))
        {
            return;
        }

        deployment = cluster.Get("apps", "deployments", ns, name)!;
        deployment["status"] = status;
        deployment["metadata"]!.AsObject().Remove("resourceVersion");
        cluster.Operations.Put(deployment, Manager);
    }

    private static JsonObject Condition(string type, bool ok, string reason, string message, string since) => new()
    {
        ["type"] = type, ["status"] = ok ? "True" : "False", ["lastUpdateTime"] = since, ["lastTransitionTime"] = since,
        ["reason"] = reason, ["message"] = message,
    };

    private JsonObject PodFrom(JsonObject deployment, JsonObject template, string hash)
    {
        var ns = deployment.Namespace();
        var name = deployment.Name();
        var key = $"{ns}/{name}/{hash}";
        var n = _created.GetValueOrDefault(key);
        _created[key] = n + 1;
        var suffix = n == 0
            ? Encode(SHA256.HashData(Encoding.UTF8.GetBytes($"{cluster.Name}/{ns}/{name}/pod")), 5, SuffixAlphabet)
            : Encode(RandomNumberGenerator.GetBytes(5), 5, SuffixAlphabet);
        var labels = template["metadata"]?["labels"]?.DeepClone() as JsonObject ?? new JsonObject();
        labels["pod-template-hash"] = hash;
        var meta = new JsonObject { ["name"] = $"{name}-{hash}-{suffix}", ["namespace"] = ns, ["labels"] = labels };
        if (template["metadata"]?["annotations"] is JsonObject annotations)
        {
            meta["annotations"] = annotations.DeepClone();
        }

        meta["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = $"{name}-{hash}",
            ["uid"] = new Guid(MD5.HashData(Encoding.UTF8.GetBytes($"{cluster.Name}/{ns}/{name}-{hash}"))).ToString(),
            ["controller"] = true, ["blockOwnerDeletion"] = true,
        });
        var spec = template["spec"]?.DeepClone() as JsonObject ?? new JsonObject();
        spec["nodeName"] = $"{cluster.Name}-node-1";
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = meta, ["spec"] = spec };
    }

    /// <summary>pod-template-hash: a hash of the pod template, in the alphabet Kubernetes uses for it.</summary>
    public static string TemplateHash(JsonObject template) =>
        Encode(SHA256.HashData(Encoding.UTF8.GetBytes(template.ToJsonString())), 10, "bcdf256789");

    private static string Encode(byte[] bytes, int length, string alphabet)
    {
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            sb.Append(alphabet[bytes[i % bytes.Length] % alphabet.Length]);
        }

        return sb.ToString();
    }
}
