using Hangfire;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MeshPortal.Web.Health;

/// <summary>Ready when the database answers and takes writes (a read-only or write-locked database is not ready).</summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<MeshPortalDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Database.CanConnectAsync(cancellationToken))
        {
            return HealthCheckResult.Unhealthy("database not reachable");
        }

        return await DatabaseWriteProbe.CheckAsync(db, TimeSpan.FromSeconds(2), cancellationToken) is { } why
            ? HealthCheckResult.Unhealthy("database cannot be written: " + why)
            : HealthCheckResult.Healthy("database reachable and writable");
    }
}

/// <summary>Ready when a Hangfire server of this process has sent a heartbeat recently.</summary>
internal sealed class JobServerHealthCheck(JobStorage storage, TimeProvider clock) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var marker = $":{Environment.ProcessId}";
        var servers = storage.GetMonitoringApi().Servers();
        var mine = servers.FirstOrDefault(s => s.Name.Contains(marker, StringComparison.Ordinal));
        if (mine is null)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("job server not running"));
        }

        MeshPortal.Web.Hosting.StartupTimeline.MarkOnce("job server found");
        var age = clock.GetUtcNow().UtcDateTime - (mine.Heartbeat ?? DateTime.MinValue);
        return Task.FromResult(age < TimeSpan.FromMinutes(1)
            ? HealthCheckResult.Healthy("job server running")
            : HealthCheckResult.Unhealthy($"job server heartbeat is {age.TotalSeconds:0} s old"));
    }
}
