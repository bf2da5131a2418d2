namespace MeshPortal.Core.Probes;

/// <summary>
/// In-process notification that a consumer cluster's probe results were stored (kept apart from ClusterEvents so that pages that
/// do not show probes are not reloaded every cycle). Subscribers must marshal to their own context and must not throw.
/// </summary>
public sealed class ProbeEvents
{
    public event Action<string>? Stored;

    public void Publish(string sourceCluster)
    {
        foreach (var handler in Stored?.GetInvocationList().Cast<Action<string>>() ?? [])
        {
            try
            {
                handler(sourceCluster);
            }
            catch (Exception)
            {
                // One broken subscriber (a closed circuit) must not stop the others or the job.
            }
        }
    }
}
