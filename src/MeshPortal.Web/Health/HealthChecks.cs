using Hangfire;
using MeshPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MeshPortal.Web.Health;

internal sealed class DatabaseHealthCheck(IDbContextFactory<MeshPortalDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy("database reachable")
            : HealthCheckResult.Unhealthy("database not reachable");
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

        var age = clock.GetUtcNow().UtcDateTime - (mine.Heartbeat ?? DateTime.MinValue);
        return Task.FromResult(age < TimeSpan.FromMinutes(1)
            ? HealthCheckResult.Healthy("job server running")
            : HealthCheckResult.Unhealthy($"job server heartbeat is {age.TotalSeconds:0} s old"));
    }
}
