using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MeshPortal.Core.Features.Exports;

/// <summary>
/// Demo start-up: on first start (no export exists yet) the seed's own export is created through <see cref="ExportService"/>:
/// <c>httpbin</c> in <c>bar</c> of cluster-2, consumed by cluster-1, so the first screen shows a working cross-cluster link.
/// </summary>
public static partial class ExportDemo
{
    public static async Task EnsureSeedExportAsync(IServiceProvider services, CancellationToken ct)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ExportDemo));
        await using (var db = await services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync(ct))
        {
            var names = await db.Clusters.Select(c => c.Name).ToListAsync(ct);
            if (await db.Exports.AnyAsync(ct) || !names.Contains("cluster-1") || !names.Contains("cluster-2"))
            {
                return;
            }
        }

        var result = await services.GetRequiredService<ExportService>()
            .CreateAsync(new ExportRequest("cluster-2", "bar", "httpbin", null, ["cluster-1"]), new AuditContext("demo"), ct);
        if (result.Succeeded)
        {
            LogCreated(logger, result.Export!.Host, result.Export.Address);
        }
        else
        {
            LogFailed(logger, string.Join(" ", result.Errors.SelectMany(e => e.Value)));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: exported {Host} ({Address}) from cluster-2 to cluster-1")]
    private static partial void LogCreated(ILogger logger, string host, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo: the seed's export could not be created: {Errors}")]
    private static partial void LogFailed(ILogger logger, string errors);
}
