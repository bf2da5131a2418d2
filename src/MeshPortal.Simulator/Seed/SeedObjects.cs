using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Seed;

/// <summary>Small builders for the seeded Kubernetes objects.</summary>
internal static class SeedObjects
{
    public static JsonObject Meta(string name, string? ns = null, JsonObject? labels = null, JsonObject? annotations = null)
    {
        var meta = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            meta["namespace"] = ns;
        }

        if (labels is not null)
        {
            meta["labels"] = labels;
        }

        if (annotations is not null)
        {
            meta["annotations"] = annotations;
        }

        return meta;
    }

    public static JsonObject Labels(params (string Key, string Value)[] pairs)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in pairs)
        {
            obj[k] = v;
        }

        return obj;
    }

    public static JsonObject Namespace(string name, JsonObject? labels = null) =>
        new() { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = Meta(name, null, labels) };

    public static JsonObject ServiceAccount(string ns, string name) =>
        new() { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = Meta(name, ns) };

    public static JsonObject ConfigMap(string ns, string name, JsonObject data, JsonObject? labels = null) =>
        new() { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = Meta(name, ns, labels), ["data"] = data };

    /// <summary>A port: (name, port, targetPort, protocol).</summary>
    public static JsonObject Port(string name, int port, int targetPort, string protocol = "TCP") =>
        new() { ["name"] = name, ["port"] = port, ["targetPort"] = targetPort, ["protocol"] = protocol };

    public static JsonObject Service(string ns, string name, JsonObject labels, JsonObject selector, string type, params JsonObject[] ports)
    {
        var spec = new JsonObject { ["type"] = type, ["selector"] = selector, ["ports"] = new JsonArray(ports) };
        return new() { ["apiVersion"] = "v1", ["kind"] = "Service", ["metadata"] = Meta(name, ns, labels), ["spec"] = spec };
    }

    public static JsonObject Container(string name, string image, params JsonObject[] ports)
    {
        var c = new JsonObject { ["name"] = name, ["image"] = image, ["imagePullPolicy"] = "IfNotPresent" };
        if (ports.Length > 0)
        {
            c["ports"] = new JsonArray(ports);
        }

        return c;
    }

    public static JsonObject ContainerPort(int port, string? name = null)
    {
        var p = new JsonObject { ["containerPort"] = port, ["protocol"] = "TCP" };
        if (name is not null)
        {
            p["name"] = name;
        }

        return p;
    }

    /// <summary>The istio-proxy sidecar container as injected by Istio.</summary>
    public static JsonObject Sidecar(string istioVersion) =>
        Container("istio-proxy", $"docker.io/istio/proxyv2:{istioVersion}", ContainerPort(15090, "http-envoy-prom"));

    public static JsonObject Deployment(string ns, string name, JsonObject labels, string serviceAccount, params JsonObject[] containers)
    {
        var podSpec = new JsonObject { ["serviceAccountName"] = serviceAccount, ["containers"] = new JsonArray(containers) };
        var template = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() }, ["spec"] = podSpec };
        var spec = new JsonObject
        {
            ["replicas"] = 1,
            ["selector"] = new JsonObject { ["matchLabels"] = labels.DeepClone() },
            ["template"] = template,
        };
        return new() { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["metadata"] = Meta(name, ns, labels.DeepClone().AsObject()), ["spec"] = spec };
    }

    /// <summary>A pod of <paramref name="deployment"/>, named like a ReplicaSet's (name-hash-suffix); status is filled on write.</summary>
    public static JsonObject PodOf(JsonObject deployment, string clusterName, JsonObject? annotations = null)
    {
        var meta = deployment["metadata"]!;
        var name = (string)meta["name"]!;
        var ns = (string)meta["namespace"]!;
        var hash = Hash($"{clusterName}/{ns}/{name}", 10, "bcdf256789");
        var suffix = Hash($"{clusterName}/{ns}/{name}/pod", 5, "bcdfghjklmnpqrstvwxz2456789");
        var template = deployment["spec"]!["template"]!;
        var labels = template["metadata"]!["labels"]!.DeepClone().AsObject();
        labels["pod-template-hash"] = hash;
        var podMeta = Meta($"{name}-{hash}-{suffix}", ns, labels, annotations);
        podMeta["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = $"{name}-{hash}", ["uid"] = Guid.NewGuid().ToString(),
            ["controller"] = true, ["blockOwnerDeletion"] = true,
        });
        var spec = template["spec"]!.DeepClone().AsObject();
        spec["nodeName"] = $"{clusterName}-node-1";
        return new() { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = podMeta, ["spec"] = spec };
    }

    /// <summary>Sidecar injection annotation (what the injector writes), so pods look injected.</summary>
    public static JsonObject InjectedAnnotations() => Labels(
        ("sidecar.istio.io/status", "{\"version\":\"simulated\",\"initContainers\":[\"istio-init\"],\"containers\":[\"istio-proxy\"],\"volumes\":[\"istio-envoy\",\"istio-data\",\"istio-podinfo\",\"istiod-ca-cert\"]}"));

    private static string Hash(string input, int length, string alphabet)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(input));
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            sb.Append(alphabet[bytes[i] % alphabet.Length]);
        }

        return sb.ToString();
    }
}
