using System.Text;

namespace MeshPortal.Simulator.Hosting;

/// <summary>Writes kubeconfig YAML: per cluster a cluster entry (server + CA data), a user (bearer token) and a context, all named like the cluster.</summary>
internal static class Kubeconfig
{
    public static string Build(IReadOnlyList<SimulatedCluster> clusters, string? currentContext)
    {
        var sb = new StringBuilder();
        sb.Append("apiVersion: v1\nkind: Config\nclusters:\n");
        foreach (var c in clusters)
        {
            sb.Append($"- name: {Q(c.Name)}\n  cluster:\n    server: {Q(c.Server.ToString().TrimEnd('/'))}\n");
            sb.Append($"    certificate-authority-data: {Convert.ToBase64String(Encoding.ASCII.GetBytes(c.CaCertificatePem))}\n");
        }

        sb.Append("users:\n");
        foreach (var c in clusters)
        {
            sb.Append($"- name: {Q(c.Name + "-admin")}\n  user:\n    token: {Q(c.Token)}\n");
        }

        sb.Append("contexts:\n");
        foreach (var c in clusters)
        {
            sb.Append($"- name: {Q(c.Name)}\n  context:\n    cluster: {Q(c.Name)}\n    user: {Q(c.Name + "-admin")}\n");
        }

        sb.Append($"current-context: {Q(currentContext ?? clusters.FirstOrDefault()?.Name ?? "")}\n");
        sb.Append("preferences: {}\n");
        return sb.ToString();
    }

    private static string Q(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
