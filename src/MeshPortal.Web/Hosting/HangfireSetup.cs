using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Core.Platform.Locks;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Web.Auth;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MeshPortal.Web.Hosting;

internal static class HangfireSetup
{
    public const string DashboardPath = PortalUrls.JobDashboardPath;
    public const string HangfireSchema = "hangfire";

    public static void AddMeshPortalJobs(this WebApplicationBuilder builder, MeshPortalOptions options, string dataDirectory)
    {
        var jobs = options.Jobs;
        var poll = TimeSpan.FromMilliseconds(Math.Max(50, jobs.QueuePollMilliseconds));
        builder.Services.AddHangfire(c =>
        {
            c.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (options.Database.Provider == DatabaseProvider.Postgres)
            {
                // Distributed: atomic fetch (FOR UPDATE SKIP LOCKED) across replicas. The schema is installed at start-up under
                // the migration lock (StartupTasks), not by every replica at once. Sliding invisibility keeps a running job's
                // fetch alive, so a short timeout only affects jobs of a replica that died: another one picks them up.
                c.UsePostgreSqlStorage(
                    o => o.UseNpgsqlConnection(DatabaseSetup.RequireConnectionString(options.Database)),
                    new PostgreSqlStorageOptions
                    {
                        SchemaName = HangfireSchema,
                        PrepareSchemaIfNecessary = false,
                        QueuePollInterval = poll,
                        InvisibilityTimeout = TimeSpan.FromSeconds(Math.Max(5, jobs.InvisibilityTimeoutSeconds)),
                        UseSlidingInvisibilityTimeout = true,
                        DistributedLockTimeout = TimeSpan.FromSeconds(Math.Max(5, jobs.DistributedLockTimeoutSeconds)),
                    });
            }
            else
            {
                c.UseSQLiteStorage(Path.Combine(dataDirectory, "hangfire.db"), new SQLiteStorageOptions { QueuePollInterval = poll });
            }
        });
        if (jobs.Enabled)
        {
            builder.Services.AddHangfireServer(o =>
            {
                o.WorkerCount = Math.Max(1, jobs.WorkerCount);
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                o.ServerName = $"meshportal:{Environment.MachineName}:{Environment.ProcessId}";
            });
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.Services.AddRecurringJob<ClusterCheckJob>(JobIds.CheckAllClusters,
            sp => sp.GetRequiredService<IOptions<MeshPortalOptions>>().Value.Jobs.ClusterCheckCron, j => j.CheckAllAsync(CancellationToken.None));
        builder.Services.AddRecurringJob<AuditRetention>(JobIds.AuditRetention,
            sp => sp.GetRequiredService<IOptions<AuditOptions>>().Value.RetentionCron, r => r.RunAsync(CancellationToken.None));
        builder.Services.AddScoped<ClusterCheckJob>();
        builder.Services.AddSingleton<ClusterRecheckScheduler>();
        builder.Services.AddSingleton<IClusterApiUnreachable>(sp => sp.GetRequiredService<ClusterRecheckScheduler>());
        builder.Services.AddClusterLocks();
    }

    public static void MapJobsDashboard(this WebApplication app)
    {
        // Admins only; not Hangfire's "local requests only" default (which passes for anyone behind a local proxy).
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [],
            AppPath = "/",
            DashboardTitle = "MeshPortal jobs",
            DisplayStorageConnectionString = false,
        }).RequireAuthorization(Policies.JobsDashboard);
    }
}
