using MeshPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Probes;

/// <summary>What a consumer cluster probes: every port of every export it consumes (explicitly or as "all other clusters").</summary>
public static class ProbeTargets
{
    public static async Task<IReadOnlyList<ProbeTarget>> ForConsumerAsync(MeshPortalDbContext db, int clusterId, CancellationToken ct)
    {
        var exports = await db.Exports.AsNoTracking()
            .Where(e => e.ClusterId != clusterId && (e.AllConsumers || e.Consumers.Any(c => c.ClusterId == clusterId)))
            .Select(e => new { e.Id, e.ClusterId, e.Host, Ports = e.Ports.Select(p => p.Number).ToList() })
            .ToListAsync(ct);
        return [.. exports
            .SelectMany(e => e.Ports.Select(p => new ProbeTarget(e.Id, e.ClusterId, e.Host, p)))
            .OrderBy(t => t.Host, StringComparer.Ordinal).ThenBy(t => t.Port)];
    }
}
