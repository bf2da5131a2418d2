using System.Collections.Concurrent;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Exports;

/// <summary>The outcome of a picker lookup: the items, or a message saying why the cluster could not be asked.</summary>
public sealed record CatalogResult<T>(IReadOnlyList<T> Items, string? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// The export picker's view of a cluster's live namespaces and services, read through <see cref="IClusterGateway"/> and cached
/// briefly per cluster (<see cref="ExportOptions.PickerCacheSeconds"/>). Failures are not cached and come back as a message.
/// </summary>
public sealed class ServiceCatalog(
    IDbContextFactory<MeshPortalDbContext> dbFactory,
    IClusterGateway gateway,
    SecretProtector secrets,
    IOptions<ExportOptions> options,
    TimeProvider clock)
{
    private readonly ConcurrentDictionary<(string Cluster, int Version), (DateTimeOffset At, IReadOnlyList<ServiceInfo> Services)> cache = new();

    public async Task<CatalogResult<string>> ListNamespacesAsync(string cluster, CancellationToken ct)
    {
        var services = await ListServicesAsync(cluster, null, ct);
        return services.Succeeded
            ? new CatalogResult<string>([.. services.Items.Select(s => s.Namespace).Distinct().Order(StringComparer.Ordinal)], null)
            : new CatalogResult<string>([], services.Error);
    }

    /// <summary>Services of a cluster, optionally of one namespace, sorted by namespace and name.</summary>
    public async Task<CatalogResult<ServiceInfo>> ListServicesAsync(string cluster, string? @namespace, CancellationToken ct)
    {
        var connection = await ConnectAsync(cluster, ct);
        if (connection is null)
        {
            return new([], $"No cluster named '{cluster}' is registered.");
        }

        var key = (connection.Name, connection.CredentialVersion);
        var now = clock.GetUtcNow();
        if (!cache.TryGetValue(key, out var entry) || now - entry.At > TimeSpan.FromSeconds(options.Value.PickerCacheSeconds))
        {
            try
            {
                var services = await gateway.ListServicesAsync(connection, null, ct);
                entry = (now, [.. services
                    .Where(s => s.Metadata?.Name is not null && s.Metadata.NamespaceProperty is not null)
                    .Select(s => new ServiceInfo(s.Metadata.NamespaceProperty, s.Metadata.Name, ExportPorts.Of(s)))
                    .OrderBy(s => s.Namespace, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal)]);
                cache[key] = entry;
            }
            catch (ClusterCallException ex)
            {
                return new([], $"Cluster {cluster} could not be reached to list its services: {ex.Message} Try again when it is reachable.");
            }
        }

        return new([.. entry.Services.Where(s => @namespace is null || s.Namespace == @namespace)], null);
    }

    /// <summary>Forgets a cluster's cached lists (e.g. the "refresh" button).</summary>
    public void Invalidate(string cluster)
    {
        foreach (var key in cache.Keys.Where(k => k.Cluster == cluster))
        {
            cache.TryRemove(key, out _);
        }
    }

    internal async Task<ClusterConnection?> ConnectAsync(string cluster, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entity = await db.Clusters.AsNoTracking().SingleOrDefaultAsync(c => c.Name == cluster, ct);
        return entity is null ? null : secrets.ConnectionTo(entity);
    }
}
