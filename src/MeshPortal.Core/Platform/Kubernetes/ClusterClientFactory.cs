using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using k8s;

namespace MeshPortal.Core.Platform.Kubernetes;

public sealed partial class ClusterClientFactory(IOptionsMonitor<ClusterAccessOptions> options, ILogger<ClusterClientFactory> logger)
    : IClusterClientFactory, IDisposable
{
    private sealed record Entry(int CredentialVersion, IKubernetes Client);

    private readonly ConcurrentDictionary<int, Entry> clients = new();
    private readonly Lock gate = new();

    public IKubernetes GetClient(ClusterConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (clients.TryGetValue(connection.Id, out var entry) && entry.CredentialVersion == connection.CredentialVersion)
            return entry.Client;

        lock (gate)
        {
            if (clients.TryGetValue(connection.Id, out entry) && entry.CredentialVersion == connection.CredentialVersion)
                return entry.Client;
            var client = CreateTransient(connection.Kubeconfig, connection.Context);
            clients[connection.Id] = new Entry(connection.CredentialVersion, client);
            LogBuilt(logger, connection.Name, connection.Id, connection.CredentialVersion);
            entry?.Client.Dispose();
            return client;
        }
    }

    public void Evict(int clusterId)
    {
        if (clients.TryRemove(clusterId, out var entry))
            entry.Client.Dispose();
    }

    public IKubernetes CreateTransient(string kubeconfig, string? context)
    {
        var current = options.CurrentValue;
        return KubeClientBuilder.Build(kubeconfig, context, current.ToPolicy(), current.RequestTimeout);
    }

    public void Dispose()
    {
        foreach (var id in clients.Keys)
            Evict(id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Built Kubernetes client for cluster {Name} (id {Id}, credential version {Version})")]
    private static partial void LogBuilt(ILogger logger, string name, int id, int version);
}
