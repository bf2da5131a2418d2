namespace MeshPortal.Simulator;

public sealed partial class SimulatedMesh
{
    /// <summary>pods/{name}/exec of one cluster, served by the exec endpoint over this mesh.</summary>
    private Hosting.ExecHandler? ExecFor(SimulatedCluster cluster) =>
        (context, ns, pod) => Exec.ExecEndpoint.HandleAsync(context, this, cluster.Name, ns, pod);
}
