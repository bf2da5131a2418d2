namespace MeshPortal.Core.Platform.Events;

/// <summary>
/// In-process notification that a cluster's stored state changed (registered, edited, checked, deleted), so open pages
/// refresh without polling. Subscribers must marshal to their own context and must not throw.
/// </summary>
public sealed class ClusterEvents
{
    public event Action<string>? Changed;

    /// <summary>Raised for events published in this process (not for relayed ones), so a relay can pass them to other replicas.</summary>
    public event Action<string>? Outgoing;

    public void Publish(string clusterName)
    {
        PublishLocal(clusterName);
        Outgoing?.Invoke(clusterName);
    }

    /// <summary>Delivers an event to this process's subscribers only (used for events relayed from another replica).</summary>
    public void PublishLocal(string clusterName)
    {
        foreach (var handler in Changed?.GetInvocationList().Cast<Action<string>>() ?? [])
        {
            try
            {
                handler(clusterName);
            }
            catch (Exception)
            {
                // One broken subscriber (a closed circuit) must not stop the others or the caller.
            }
        }
    }
}
