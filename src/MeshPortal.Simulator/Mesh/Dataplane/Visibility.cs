using System.Text.Json.Nodes;
using MeshPortal.Simulator.Mesh.Discovery;
using MeshPortal.Simulator.Mesh.State;

namespace MeshPortal.Simulator.Mesh.Dataplane;

/// <summary>
/// Which services a proxy's config contains: the service's <c>exportTo</c> (ServiceEntry field, Service annotation
/// <c>networking.istio.io/exportTo</c>; "*" everywhere, "." its own namespace, "~" nowhere) and the <c>Sidecar</c> that applies to the
/// pod (a matching <c>workloadSelector</c> in its namespace, else its namespace's default, else the root namespace's), whose
/// <c>egress[].hosts</c> (<c>ns/host</c>, with <c>*</c>, <c>.</c>, <c>~</c> and <c>*.suffix</c>) limit what it sees.
/// </summary>
internal static class Visibility
{
    public static bool Visible(PushContext config, PodInfo pod, MeshService service) =>
        Exported(service.ExportTo, service.Namespace, pod.Namespace) && SidecarAllows(SidecarFor(config, pod), pod.Namespace, service);

    public static bool Exported(IReadOnlyList<string> exportTo, string ownerNamespace, string consumerNamespace) =>
        exportTo.Count == 0 || exportTo.Any(e => e == "*" || (e == "." && ownerNamespace == consumerNamespace) || e == consumerNamespace);

    /// <summary>The Sidecar resource that scopes a pod's proxy, or null for none.</summary>
    public static JsonObject? SidecarFor(PushContext config, PodInfo pod)
    {
        var sidecars = config.Local.Sidecars;
        return sidecars.FirstOrDefault(s => s.Namespace() == pod.Namespace && s.At("spec", "workloadSelector", "labels") is JsonObject
                   && s.Map("spec", "workloadSelector", "labels").All(kv => pod.Labels.GetValueOrDefault(kv.Key) == kv.Value))
            ?? sidecars.FirstOrDefault(s => s.Namespace() == pod.Namespace && s.At("spec", "workloadSelector") is null)
            ?? sidecars.FirstOrDefault(s => s.Namespace() == config.Mesh.RootNamespace && s.At("spec", "workloadSelector") is null);
    }

    private static bool SidecarAllows(JsonObject? sidecar, string podNamespace, MeshService service)
    {
        var egress = sidecar.Objects("spec", "egress").ToList();
        if (egress.Count == 0)
        {
            return true;
        }

        foreach (var entry in egress.SelectMany(e => e.Strings("hosts")))
        {
            var slash = entry.IndexOf('/');
            var ns = slash >= 0 ? entry[..slash] : "*";
            var host = slash >= 0 ? entry[(slash + 1)..] : entry;
            var nsMatches = ns switch
            {
                "*" => true,
                "." => service.Namespace == podNamespace,
                "~" => false,
                _ => service.Namespace == ns,
            };
            if (nsMatches && HostMatch.Matches(host, service.Hostname))
            {
                return true;
            }
        }

        return false;
    }
}
