using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using MeshPortal.Tests.Support;
using Microsoft.Data.Sqlite;

namespace MeshPortal.Tests.Web;

/// <summary>Issue 17, finding 16 (operations) and issue 19 (first probe), on real portal processes.</summary>
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
}
