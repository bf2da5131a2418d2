using Hangfire;
using Hangfire.Dashboard;
using Hangfire.Storage.SQLite;
using MeshPortal.Core.Configuration;
using MeshPortal.Core.Jobs;
using MeshPortal.Web.Auth;

namespace MeshPortal.Web.Hosting;

internal static class HangfireSetup
{
    public const string DashboardPath = "/jobs";

    public static void AddMeshPortalJobs(this WebApplicationBuilder builder, MeshPortalOptions options, string dataDirectory)
    {
        var jobs = options.Jobs;
        builder.Services.AddHangfire(c => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseSQLiteStorage(Path.Combine(dataDirectory, "hangfire.db"), new SQLiteStorageOptions
            {
                QueuePollInterval = TimeSpan.FromMilliseconds(Math.Max(50, jobs.QueuePollMilliseconds)),
            }));
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
        builder.Services.AddHostedService<RecurringJobRegistrar>();
        builder.Services.AddScoped<ClusterCheckJob>();
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
