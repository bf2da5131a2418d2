namespace MeshPortal.Simulator.Mesh;

/// <summary>Names of the proxy metadata flags the sidecar agent reads from its environment.</summary>
internal static class IstioFeatures
{
    /// <summary>DNS proxying by the agent (<c>pilot/cmd/pilot-agent/options/options.go</c>; default false).</summary>
    public const string DnsCapture = "ISTIO_META_DNS_CAPTURE";

    /// <summary>Addresses for ServiceEntries without any (<c>ISTIO_META_DNS_AUTO_ALLOCATE</c>).</summary>
    public const string DnsAutoAllocate = "ISTIO_META_DNS_AUTO_ALLOCATE";
}
