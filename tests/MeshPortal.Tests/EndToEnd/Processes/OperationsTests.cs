using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace MeshPortal.Tests.EndToEnd.Processes;

/// <summary>Issue 17, finding 16 (operations) and issue 19 (first probe), on real portal processes.</summary>
[Trait("Speed", "EndToEnd")]
public sealed class OperationsTests
{
    private const string Token = "mp_operations-token-0123456789abcdefghijklmnop";

    /// <summary>/readyz used to ask only whether the database answers, so it stayed Healthy while every write failed.</summary>
    [Fact]
    public async Task Readyz_Fails_WhileTheDatabaseCannotBeWritten_AndRecovers()
    {
        var data = Directory.CreateTempSubdirectory("meshportal-readyz-").FullName;
        try
        {
            await using var portal = PortalProcess.Start(data, new Dictionary<string, string>());
            await portal.WaitHealthyAsync(TimeSpan.FromMinutes(2));
            using var http = new HttpClient { BaseAddress = portal.Address, Timeout = TimeSpan.FromSeconds(30) };
            await Eventually.ReturnsAsync(() => http.GetAsync("/readyz"), r => r.StatusCode == HttpStatusCode.OK, "ready at first");

            // Another writer holds SQLite's write lock: every write of the portal now fails after its busy timeout.
            await using (var writer = new SqliteConnection($"Data Source={Path.Combine(data, "meshportal.db")};Pooling=False"))
            {
                await writer.OpenAsync();
                await using var transaction = writer.BeginTransaction(deferred: false); // BEGIN IMMEDIATE
                await Eventually.ReturnsAsync(async () => (await http.GetAsync("/readyz")).StatusCode,
                    s => s == HttpStatusCode.ServiceUnavailable, "/readyz to fail while the database cannot be written", TimeSpan.FromSeconds(60));
                await transaction.RollbackAsync();
            }

            await Eventually.ReturnsAsync(() => http.GetAsync("/readyz"), r => r.StatusCode == HttpStatusCode.OK, "ready again", TimeSpan.FromSeconds(60));
        }
        finally
        {
            Delete(data);
        }
    }

    /// <summary>A database file that cannot be opened stops start-up with one sentence (it used to be a stack trace).</summary>
    [Fact]
    public async Task ADatabaseThatCannotBeOpened_StopsStartUpWithOneSentence()
    {
        var data = Directory.CreateTempSubdirectory("meshportal-baddb-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(data, "meshportal.db"));
            await using var portal = PortalProcess.Start(data, new Dictionary<string, string>());
            Assert.Equal(1, await portal.WaitForExitAsync(TimeSpan.FromMinutes(1)));
            Assert.Contains($"MeshPortal cannot start: {Path.Combine(data, "meshportal.db")} is a directory, not a database file", portal.Output);
            Assert.DoesNotContain("   at ", portal.Output);
        }
        finally
        {
            Delete(data);
        }
    }

    /// <summary>
    /// Issue 19: reachability stayed empty after start until the probe cron's next tick. With the cron set far away,
    /// results appear right after start-up all the same.
    /// </summary>
    [Fact]
    public async Task TheFirstProbeCycle_RunsRightAfterStartUp()
    {
        var data = Directory.CreateTempSubdirectory("meshportal-firstprobe-").FullName;
        try
        {
            await using var portal = PortalProcess.Start(data, new Dictionary<string, string>
            {
                ["MeshPortal__Demo__Clusters"] = "3",
                ["MeshPortal__Bootstrap__AdminToken"] = Token,
                ["MeshPortal__Probes__Cron"] = "0 0 1 1 *", // next tick: New Year
                ["MeshPortal__Jobs__QueuePollMilliseconds"] = "100",
            });
            await portal.WaitHealthyAsync(TimeSpan.FromMinutes(3));
            using var api = new HttpClient { BaseAddress = portal.Address };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            await Eventually.ReturnsAsync(async () => (JsonNode.Parse(await api.GetStringAsync("/api/v1/reachability"))!["results"] as JsonArray ?? []).Count,
                n => n > 0, "probe results without waiting for the cron", TimeSpan.FromSeconds(90));
        }
        finally
        {
            Delete(data);
        }
    }

    /// <summary>
    /// Issue 17, finding 16: a job that was running when its process was killed stayed "Processing" until the storage's
    /// invisibility timeout. On SQLite the directory lock proves that process is gone, so start-up enqueues it again.
    /// </summary>
    [Fact]
    public async Task AJobLeftProcessingByAKilledProcess_RunsAgainRightAfterTheNextStart()
    {
        var data = Directory.CreateTempSubdirectory("meshportal-orphan-").FullName;
        var settings = new Dictionary<string, string>
        {
            ["MeshPortal__Jobs__QueuePollMilliseconds"] = "100",
            ["Logging__LogLevel__MeshPortal.Startup"] = "Information",
        };
        try
        {
            await using (var first = PortalProcess.Start(data, settings))
            {
                await first.WaitHealthyAsync(TimeSpan.FromMinutes(2));
                first.KillHard();
            }

            // What a worker of the killed process leaves behind: a job in Processing on a server that no longer exists.
            // (Hangfire's static log provider may still point at the in-process test portal's disposed LoggerFactory.)
            Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
            var hangfireDb = Path.Combine(data, "hangfire.db");
            string id;
            using (var storage = new Hangfire.Storage.SQLite.SQLiteStorage(hangfireDb, new Hangfire.Storage.SQLite.SQLiteStorageOptions()))
            {
                id = new Hangfire.BackgroundJobClient(storage).Create(
                    Hangfire.Common.Job.FromExpression<MeshPortal.Core.Platform.Audit.AuditRetention>(r => r.RunAsync(CancellationToken.None)),
                    new LeftProcessing());
                Assert.Equal("Processing", storage.GetConnection().GetStateData(id).Name);
            }

            await using var second = PortalProcess.Start(data, settings);
            await second.WaitHealthyAsync(TimeSpan.FromMinutes(2));
            await Eventually.ReturnsAsync(() => Task.FromResult(second.Output),
                o => o.Contains(" job(s) that were running when the previous portal process ended", StringComparison.Ordinal), // ours, and what the killed one ran
                "start-up to say it requeued the orphaned job", TimeSpan.FromSeconds(30));
            using var reader = new Hangfire.Storage.SQLite.SQLiteStorage(hangfireDb, new Hangfire.Storage.SQLite.SQLiteStorageOptions());
            await Eventually.ReturnsAsync(() => Task.FromResult(reader.GetConnection().GetStateData(id)?.Name),
                state => state == "Succeeded", "the orphaned job to run to the end", TimeSpan.FromSeconds(60));
        }
        finally
        {
            Delete(data);
        }
    }

    /// <summary>
    /// Issue 17, finding 16: a push whose automatic retries were exhausted stayed in Hangfire's Failed list forever. The
    /// failure is in the cluster's sync history and the recurring sync pushes again, so the job is deleted (and expires).
    /// </summary>
    [Fact]
    public async Task APushThatExhaustsItsRetries_IsDeleted_NotFailedForever()
    {
        var data = Directory.CreateTempSubdirectory("meshportal-retries-").FullName;
        var mesh = await MeshPortal.Simulator.SimulatedMesh.StartAsync(new MeshPortal.Simulator.SimulatorOptions { Clusters = 1, AdminEndpoint = false });
        var meshStopped = false;
        try
        {
            await using var portal = PortalProcess.Start(data, new Dictionary<string, string>
            {
                ["MeshPortal__Bootstrap__AdminToken"] = Token,
                ["MeshPortal__Jobs__QueuePollMilliseconds"] = "100",
                ["MeshPortal__Sync__Cron"] = "", // only the push this test asks for
            });
            await portal.WaitHealthyAsync(TimeSpan.FromMinutes(2));
            using var api = new HttpClient { BaseAddress = portal.Address };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            var registered = await api.PostAsync("/api/v1/clusters", System.Net.Http.Json.JsonContent.Create(new { name = "gone", kubeconfig = mesh["cluster-1"].KubeconfigYaml }));
            Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());

            await mesh.DisposeAsync(); // the cluster's API server is gone: every push attempt fails, retryably
            meshStopped = true;
            Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync("/api/v1/clusters/gone/sync", null)).StatusCode);

            Hangfire.Logging.LogProvider.SetCurrentLogProvider(null); // as above
            using var storage = new Hangfire.Storage.SQLite.SQLiteStorage(Path.Combine(data, "hangfire.db"), new Hangfire.Storage.SQLite.SQLiteStorageOptions());
            var monitoring = storage.GetMonitoringApi();
            // Three retries 5, 20 and 60 s apart, then the verdict.
            await Eventually.ReturnsAsync(() => Task.FromResult(monitoring.DeletedListCount() + monitoring.FailedCount()),
                n => n > 0, "the push's retries to run out", TimeSpan.FromMinutes(4));
            Assert.Equal(0, monitoring.FailedCount());
            Assert.True(monitoring.DeletedListCount() > 0);
        }
        finally
        {
            if (!meshStopped)
            {
                await mesh.DisposeAsync();
            }

            Delete(data);
        }
    }

    /// <summary>
    /// Issue 17, finding 16: stopping right after cluster changes threw ObjectDisposedException from background work
    /// (TrustClusterWatcher issued intermediates on services the host had already disposed). SIGTERM while that work runs
    /// ends the process cleanly, with exit code 0 and no exception in the log. The race window is milliseconds: this run
    /// did not hit it before the fix either, so it guards the shutdown path rather than proving the fix.
    /// </summary>
    [Fact]
    public async Task SigtermRightAfterClusterChanges_ShutsDownCleanly()
    {
        var data = Directory.CreateTempSubdirectory("meshportal-shutdown-").FullName;
        try
        {
            await using var portal = PortalProcess.Start(data, new Dictionary<string, string>
            {
                ["MeshPortal__Demo__Clusters"] = "3",
                ["MeshPortal__Bootstrap__AdminToken"] = Token,
            });
            await portal.WaitHealthyAsync(TimeSpan.FromMinutes(3));
            using var api = new HttpClient { BaseAddress = portal.Address };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            foreach (var cluster in new[] { "cluster-1", "cluster-2", "cluster-3" })
            {
                (await api.PostAsync($"/api/v1/clusters/{cluster}/check", null)).Dispose(); // each a cluster change (or already under way)
            }

            portal.Terminate();
            Assert.Equal(0, await portal.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.DoesNotContain("ObjectDisposedException", portal.Output);
            Assert.DoesNotContain("Unhandled exception", portal.Output);
        }
        finally
        {
            Delete(data);
        }
    }

    private static void Delete(string directory)
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // cleaned by the OS
        }
    }

    /// <summary>Hangfire's Processing state as a worker of a killed process left it (its own constructor is internal).</summary>
    private sealed class LeftProcessing : Hangfire.States.IState
    {
        public string Name => Hangfire.States.ProcessingState.StateName;
        public string Reason => "started by a process that was then killed";
        public bool IsFinal => false;
        public bool IgnoreJobLoadException => false;

        public Dictionary<string, string> SerializeData() => new()
        {
            ["StartedAt"] = Hangfire.Common.JobHelper.SerializeDateTime(DateTime.UtcNow),
            ["ServerId"] = "meshportal:killed:1",
            ["WorkerId"] = "worker-1",
        };
    }
}
