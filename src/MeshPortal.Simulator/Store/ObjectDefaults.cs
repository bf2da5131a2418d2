using System.Text;
using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;

namespace MeshPortal.Simulator.Store;

/// <summary>
/// What the API server and the kubelet fill in on write: namespace status, service ClusterIPs and node ports, secret stringData
/// folding, a running status for new pods, deployment replica defaults (the controllers in <c>Controllers/</c> do the rest).
/// </summary>
internal sealed class ObjectDefaults(AddressPool addresses)
{
    public void Apply(ResourceType type, JsonObject obj, JsonObject? old)
    {
        switch (type.Kind)
        {
            case "Namespace":
                obj["spec"] ??= new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
                obj["status"] = new JsonObject { ["phase"] = "Active" };
                var labels = Labels(obj);
                labels["kubernetes.io/metadata.name"] = (string?)obj["metadata"]!["name"];
                break;
            case "Service":
                Service(obj, old);
                break;
            case "Secret":
                Secret(obj);
                break;
            case "Pod":
                Pod(obj, old);
                break;
            case "Deployment":
                var replicas = JsonNumbers.Int64(obj["spec"]?["replicas"]) ?? 1;
                if (obj["spec"] is JsonObject spec)
                {
                    spec["replicas"] = replicas;
                }

                // The Deployment controller fills status from the pods it runs (Controllers/DeploymentController).
                obj["status"] ??= old?["status"]?.DeepClone() ?? new JsonObject();
                break;
        }
    }

    private static JsonObject Labels(JsonObject obj)
    {
        var meta = obj["metadata"]!.AsObject();
        if (meta["labels"] is not JsonObject labels)
        {
            labels = new JsonObject();
            meta["labels"] = labels;
        }

        return labels;
    }

    private void Service(JsonObject obj, JsonObject? old)
    {
        if (obj["spec"] is not JsonObject spec)
        {
            spec = new JsonObject();
            obj["spec"] = spec;
        }

        var type = (string?)spec["type"] ?? "ClusterIP";
        spec["type"] = type;
        spec["sessionAffinity"] ??= "None";
        if (spec["clusterIP"] is null)
        {
            var ip = (string?)old?["spec"]?["clusterIP"] ?? addresses.NextServiceIp();
            spec["clusterIP"] = ip;
            spec["clusterIPs"] = new JsonArray(ip);
        }
        else if (spec["clusterIPs"] is null && (string?)spec["clusterIP"] is { } given && given != "None")
        {
            spec["clusterIPs"] = new JsonArray(given);
        }

        foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            port["protocol"] ??= "TCP";
            port["targetPort"] ??= port["port"]?.DeepClone();
            if (type is "NodePort" or "LoadBalancer" && port["nodePort"] is null)
            {
                port["nodePort"] = addresses.NextNodePort();
            }
        }

        if (obj["status"] is null)
        {
            obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
        }
    }

    private static void Secret(JsonObject obj)
    {
        obj["type"] ??= "Opaque";
        if (obj["data"] is JsonObject data)
        {
            foreach (var (key, value) in data)
            {
                var text = value?.ToString() ?? "";
                Span<byte> buffer = new byte[text.Length];
                if (!Convert.TryFromBase64String(text, buffer, out _))
                {
                    throw ApiException.BadRequest(
                        $"Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte {FirstBadByte(text)} (key \"{key}\")");
                }
            }
        }

        if (obj["stringData"] is JsonObject stringData)
        {
            if (obj["data"] is not JsonObject target)
            {
                target = new JsonObject();
                obj["data"] = target;
            }

            foreach (var (key, value) in stringData)
            {
                target[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.ToString() ?? ""));
            }

            obj.Remove("stringData");
        }
    }

    private static readonly System.Buffers.SearchValues<char> Base64Chars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    private static int FirstBadByte(string text)
    {
        var i = text.AsSpan().IndexOfAnyExcept(Base64Chars);
        return i >= 0 ? i : text.Length - text.Length % 4;
    }

    private void Pod(JsonObject obj, JsonObject? old)
    {
        if (obj["status"] is JsonObject || old?["status"] is not null)
        {
            obj["status"] ??= old!["status"]!.DeepClone();
            return;
        }

        var containers = (obj["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().Select(c => (string?)c["name"] ?? "").ToList();
        obj["status"] = PodStatus.Running(addresses.NextPodIp(), $"198.51.100.{(addresses.ClusterIndex - 1) % 254 + 1}", containers,
            (string?)obj["metadata"]?["creationTimestamp"] ?? "");
    }
}
