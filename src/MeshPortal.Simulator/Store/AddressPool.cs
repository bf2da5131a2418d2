namespace MeshPortal.Simulator.Store;

/// <summary>
/// Hands out cluster-internal addresses for cluster number <c>n</c>: service ClusterIPs from 10.n.0.0/17,
/// pod IPs from 10.n.128.0/17, node ports from 30000 up. Labels only: nothing listens on them.
/// </summary>
internal sealed class AddressPool(int clusterIndex)
{
    private int _services = 10;
    private int _pods = 10;
    private int _nodePorts = 30000;

    public int ClusterIndex { get; } = clusterIndex;

    public string NextServiceIp() => Format(0, Interlocked.Increment(ref _services));

    public string NextPodIp() => Format(128, Interlocked.Increment(ref _pods));

    public int NextNodePort() => Interlocked.Increment(ref _nodePorts);

    private string Format(int offset, int k) => $"10.{ClusterIndex % 256}.{offset + (k / 250) % 128}.{k % 250 + 1}";
}
