namespace MeshPortal.Core.Features.Clusters;

/// <summary>Stable IDs of the staged connection check (part of the API contract).</summary>
public static class CheckStageIds
{
    /// <summary>The stage's title for people ("API server reachable"); the ID itself when it is not a known stage.</summary>
    public static string TitleOf(string id) => StageRunner.All.FirstOrDefault(s => s.Id == id).Title ?? id;

    public const string KubeconfigParse = "kubeconfig.parse";
    public const string ApiReachable = "api.reachable";
    public const string ApiTls = "api.tls";
    public const string ApiAuth = "api.auth";
    public const string KubernetesVersion = "kubernetes.version";
    public const string IstioControlPlane = "istio.control-plane";
    public const string IstioGateway = "istio.gateway";
    public const string Dns = "dns";
    public const string MeshModel = "istio.mesh-model";
}
