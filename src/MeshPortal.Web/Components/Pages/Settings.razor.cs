using MeshPortal.Core.Platform.Configuration;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace MeshPortal.Web.Components.Pages;

public partial class Settings
{
    [Inject] public required IOptions<MeshPortalOptions> Options { get; init; }
    [Inject] public required IOptions<MeshPortal.Core.Platform.Kubernetes.ClusterAccessOptions> Access { get; init; }

    private IEnumerable<(string, string, string)> Rows()
    {
        var o = Options.Value;
        var a = Access.Value;
        return
        [
            ("MeshPortal__DataDirectory", o.ResolveDataDirectory(), o.Database.Provider == DatabaseProvider.Sqlite
                ? "SQLite files (meshportal.db, hangfire.db), the key ring that encrypts kubeconfigs, the demo kubeconfig."
                : "The demo kubeconfig (data, jobs and the key ring are in PostgreSQL)."),
            ("MeshPortal__Database__Provider", o.Database.Provider.ToString(), "Sqlite: one process, files in the data directory. Postgres: one or more replicas sharing one database."),
            ("MeshPortal__Database__ConnectionString", MeshPortal.Core.Platform.Persistence.DatabaseDescription.Of(o.Database, o.ResolveDataDirectory()), "Where the data lives (a password is never shown)."),
            ("MeshPortal__Replicas", o.Replicas.ToString(), "Portal processes sharing the database; above 1 needs PostgreSQL and a load balancer with sticky sessions."),
            ("MeshPortal__Demo__Clusters", o.Demo.Clusters.ToString(), "Simulated clusters started and registered at start-up (0 = none)."),
            ("MeshPortal__Jobs__ClusterCheckCron", string.IsNullOrEmpty(o.Jobs.ClusterCheckCron) ? "(disabled)" : o.Jobs.ClusterCheckCron, "How often every cluster's connection check runs."),
            ("MeshPortal__Jobs__QueuePollMilliseconds", o.Jobs.QueuePollMilliseconds.ToString(), "How quickly queued jobs are picked up."),
            ("MeshPortal__Jobs__WorkerCount", o.Jobs.WorkerCount.ToString(), "Jobs that run at the same time in this process."),
            ("MeshPortal__Clusters__AllowedExecCommands", a.AllowedExecCommands.Count == 0 ? "(none)" : string.Join(", ", a.AllowedExecCommands), "Credential plugins a kubeconfig may run on the portal's host."),
            ("MeshPortal__Clusters__AllowInsecureHttp", a.AllowInsecureHttp.ToString(), "Whether API servers without HTTPS are accepted."),
            ("MeshPortal__Clusters__StageTimeoutSeconds", a.StageTimeoutSeconds.ToString(), "Time limit of each connection-check stage."),
        ];
    }
}
