namespace MeshPortal.Core.Notifications;

/// <summary>
/// In-process notification that a cluster's stored state changed (registered, edited, checked, deleted), so open pages
/// refresh without polling. Subscribers must marshal to their own context and must not throw.
/// </summary>
public sealed class ClusterEvents
{
    public event Action<string>? Changed;

    public void Publish(string clusterName)
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
