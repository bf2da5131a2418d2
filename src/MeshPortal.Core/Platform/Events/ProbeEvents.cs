namespace MeshPortal.Core.Platform.Events;

/// <summary>
/// In-process notification that a consumer cluster's probe results were stored (kept apart from ClusterEvents so that pages that
/// do not show probes are not reloaded every cycle). Subscribers must marshal to their own context and must not throw.
/// </summary>
public sealed class ProbeEvents
{
    public event Action<string>? Stored;

    /// <summary>Raised for events published in this process (not for relayed ones), so a relay can pass them to other replicas.</summary>
    public event Action<string>? Outgoing;

    public void Publish(string sourceCluster)
    {
        PublishLocal(sourceCluster);
        Outgoing?.Invoke(sourceCluster);
    }

    /// <summary>Delivers an event to this process's subscribers only (used for events relayed from another replica).</summary>
    public void PublishLocal(string sourceCluster)
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
