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

    public static JsonObject ServiceAccount(string ns, string name, JsonObject? labels = null) =>
        new() { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = Meta(name, ns, labels) };

    /// <summary>An env entry with a value.</summary>
    public static JsonObject Env(string name, string value) => new() { ["name"] = name, ["value"] = value };

    /// <summary>An env entry from a field of the pod (<c>valueFrom.fieldRef</c>).</summary>
    public static JsonObject EnvField(string name, string path) =>
        new() { ["name"] = name, ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = path } } };

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
}
