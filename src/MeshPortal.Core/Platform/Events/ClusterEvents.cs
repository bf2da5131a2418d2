namespace MeshPortal.Core.Platform.Events;

/// <summary>
/// The portal's one kind of in-process event: "something about cluster X changed", so open pages refresh without
/// polling. Each channel is its own singleton type (<see cref="ClusterEvents"/>, <see cref="ProbeEvents"/>) so that
/// pages that do not show probes are not reloaded every probe cycle; <see cref="PostgresEventRelay"/> carries both
/// across replicas. Subscribers must marshal to their own context and must not throw.
/// </summary>
public abstract class ClusterEventChannel
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

/// <summary>A cluster's stored state changed (registered, edited, checked, pushed, deleted).</summary>
public sealed class ClusterEvents : ClusterEventChannel;

/// <summary>A consumer cluster's probe results were stored (the name is the cluster the probes ran from).</summary>
public sealed class ProbeEvents : ClusterEventChannel;
