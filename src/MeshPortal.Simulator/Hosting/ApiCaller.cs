using MeshPortal.Simulator.Api;
using MeshPortal.Simulator.Runtime;

namespace MeshPortal.Simulator.Hosting;

/// <summary>
/// Who calls a cluster's API and what RBAC lets them do: the admin token (the kubeconfig's user, cluster-admin), or a service
/// account token. Service accounts get what Istio's charts bind to them: <c>istio-reader-service-account</c> the
/// <c>istio-reader-clusterrole</c> rules (<c>istio-discovery/templates/reader-clusterrole.yaml</c>@1.24.0: read Istio config, pods,
/// services, endpoints, namespaces, nodes, secrets; read/create/delete ServiceExports); any other account nothing beyond discovery.
/// </summary>
internal sealed record ApiCaller(TokenIdentity? ServiceAccount)
{
    public static readonly ApiCaller Admin = new((TokenIdentity?)null);

    private static readonly string[] IstioGroups =
        ["config.istio.io", "security.istio.io", "networking.istio.io", "authentication.istio.io", "rbac.istio.io", "telemetry.istio.io", "extensions.istio.io"];

    private static readonly string[] ReaderCore = ["endpoints", "pods", "services", "nodes", "replicationcontrollers", "namespaces", "secrets"];

    private static readonly string[] Read = ["get", "list", "watch"];

    public bool IsAdmin => ServiceAccount is null;

    /// <summary>Throws 403 Forbidden, worded like the API server, unless RBAC allows the request.</summary>
    public void Authorize(string verb, string group, string resource, string? ns)
    {
        if (ServiceAccount is not { } sa || Allows(sa, verb, group, resource))
        {
            return;
        }

        var where = ns is null ? "at the cluster scope" : $"in the namespace \"{ns}\"";
        var details = new System.Text.Json.Nodes.JsonObject();
        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = resource;
        throw new ApiException(403, "Forbidden",
            $"{(group.Length == 0 ? resource : $"{resource}.{group}")} is forbidden: User \"{sa.User}\" cannot {verb} resource \"{resource}\" in API group \"{group}\" {where}",
            details);
    }

    private static bool Allows(TokenIdentity sa, string verb, string group, string resource)
    {
        if (sa.ServiceAccount != "istio-reader-service-account")
        {
            return false;
        }

        return (IstioGroups.Contains(group) && Read.Contains(verb))
            || (group.Length == 0 && ReaderCore.Contains(resource) && Read.Contains(verb))
            || (group == ResourceType.McsGroup && resource == "serviceexports" && (Read.Contains(verb) || verb is "create" or "delete"))
            || (group == ResourceType.McsGroup && resource == "serviceimports" && Read.Contains(verb));
    }
}
