using System.Net;
using System.Text.Json.Nodes;

namespace MeshPortal.Tests.EndToEnd.Processes;

/// <summary>Issue 19, "a first hour without traps": what a newcomer following the README runs, as real processes.</summary>
[Trait("Speed", "EndToEnd")]
public sealed class FirstHourTests
{
    private const string Password = "First-Hour-Password-123";

    /// <summary>
    /// The README's run command with MeshPortal__DataDirectory and ASPNETCORE_URLS set: the launch profile used to override
    /// both (its environment block beats the caller's), so the demo's data landed in the repository and the URL was ignored.
    /// </summary>
    [Fact]
    public async Task TheReadmeRunCommand_HonoursTheDataDirectoryAndUrlsFromTheEnvironment()
    {
        var data = Path.Combine(Path.GetTempPath(), "meshportal-run-" + Guid.NewGuid().ToString("N"));
        var address = new Uri($"http://127.0.0.1:{PortalProcess.FreeLoopbackPort()}");
        try
        {
            await using var portal = PortalProcess.StartDotnetRun(Repo.Root(), new Dictionary<string, string>
            {
                ["MeshPortal__DataDirectory"] = data,
                ["ASPNETCORE_URLS"] = address.GetLeftPart(UriPartial.Authority),
                ["MeshPortal__Bootstrap__AdminPassword"] = Password,
            }, address);
            await portal.WaitHealthyAsync(TimeSpan.FromMinutes(3));

            Assert.True(File.Exists(Path.Combine(data, "meshportal.db")), "the database is in MeshPortal__DataDirectory\n" + portal.Output);
            Assert.Contains($"Data directory: {data}", portal.Output);
            // The profile's defaults still apply where nothing was set: Development and the three simulated clusters.
            Assert.Contains("Hosting environment: Development", portal.Output);
            Assert.True(File.Exists(Path.Combine(data, "simulator", "kubeconfig")), "the demo's kubeconfig is in the data directory\n" + portal.Output);
            using var client = await FormSignIn.CookieClientAsync(address, "admin", Password);
            Assert.Equal(3, JsonNode.Parse(await client.GetStringAsync("/api/v1/clusters"))!.AsArray().Count);

            // A clean start warns about nothing in the portal's own queries (the start-up warm-up once logged EF's 10102
            // "row limit without OrderBy" twice per start). The warm-up says when it is done.
            await Eventually.ReturnsAsync(() => Task.FromResult(portal.Output), o => o.Contains("Start-up warm-up:", StringComparison.Ordinal), "the warm-up to finish", TimeSpan.FromSeconds(60));
            Assert.DoesNotContain("warn: Microsoft.EntityFrameworkCore", portal.Output);
        }
        finally
        {
            Delete(data);
        }
    }

    /// <summary>
    /// Locked out of a running installation (admin password unknown): the recovery command sets a new password, nothing
    /// else is lost, and the audit log says who did it. Before, the only way back in was deleting data/.
    /// </summary>
    [Fact]
    public async Task AdminResetPassword_LetsTheAdminBackIn_KeepsClustersAndExports_AndIsAudited()
    {
        var data = Directory.CreateTempSubdirectory("meshportal-recover-").FullName;
        try
        {
            // A demo installation whose generated admin password (printed once) nobody kept.
            await using (var first = PortalProcess.Start(data, new Dictionary<string, string> { ["MeshPortal__Demo__Clusters"] = "3" }))
            {
                await first.WaitHealthyAsync(TimeSpan.FromMinutes(3));
            }

            await using (var unknown = PortalProcess.StartCommand(data, "admin", "reset-password", "nobody"))
            {
                Assert.Equal(2, await unknown.WaitForExitAsync(TimeSpan.FromMinutes(2)));
                Assert.Contains("there is no user \"nobody\" (users: admin). Nothing was changed.", unknown.Output);
            }

            string password;
            await using (var command = PortalProcess.StartCommand(data, "admin", "reset-password", "admin"))
            {
                Assert.Equal(0, await command.WaitForExitAsync(TimeSpan.FromMinutes(2)));
                var lines = command.Output.Split('\n', StringSplitOptions.TrimEntries);
                var at = Array.FindIndex(lines, l => l.StartsWith("New password for 'admin'", StringComparison.Ordinal));
                Assert.True(at >= 0, command.Output);
                password = lines[at + 1];
                Assert.DoesNotContain("   at ", command.Output);
            }

            await using var portal = PortalProcess.Start(data, new Dictionary<string, string>());
            await portal.WaitHealthyAsync(TimeSpan.FromMinutes(2));

            // While the portal runs the command refuses (one writer per data directory) and changes nothing.
            await using (var concurrent = PortalProcess.StartCommand(data, "admin", "reset-password", "admin"))
            {
                Assert.Equal(1, await concurrent.WaitForExitAsync(TimeSpan.FromMinutes(2)));
                Assert.Contains("Another MeshPortal process is already using the data directory", concurrent.Output);
            }

            using var client = await FormSignIn.CookieClientAsync(portal.Address, "admin", password);
            var clusters = JsonNode.Parse(await client.GetStringAsync("/api/v1/clusters"))!.AsArray();
            Assert.Equal(new[] { "cluster-1", "cluster-2", "cluster-3" }, clusters.Select(c => (string)c!["name"]!).Order().ToArray());
            Assert.NotEmpty(JsonNode.Parse(await client.GetStringAsync("/api/v1/exports"))!.AsArray());

            var audit = JsonNode.Parse(await client.GetStringAsync("/api/v1/audit?action=user.password-reset"))!["items"]!.AsArray();
            var entry = Assert.Single(audit);
            Assert.Equal("console (admin reset-password)", (string?)entry!["actor"]);
            Assert.Equal("admin", (string?)entry["target"]);
        }
        finally
        {
            Delete(data);
        }
    }

    /// <summary>
    /// Issue 17, finding 16: a mistyped data path used to start an empty installation (new admin, new key ring) silently.
    /// A directory that does not exist is refused with one sentence unless --init says a fresh installation is meant.
    /// </summary>
    [Fact]
    public async Task ADataDirectoryThatDoesNotExist_IsRefused_UnlessInitIsGiven()
    {
        var data = Path.Combine(Path.GetTempPath(), "meshportal-mistyped-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var refused = PortalProcess.Start(data, new Dictionary<string, string>(), createDataDirectory: false))
            {
                Assert.Equal(1, await refused.WaitForExitAsync(TimeSpan.FromMinutes(1)));
                Assert.Contains($"MeshPortal cannot start: MeshPortal:DataDirectory is {data}, which does not exist.", refused.Output);
                Assert.DoesNotContain("   at ", refused.Output);
                Assert.False(Directory.Exists(data), "nothing was created");
            }

            await using var portal = PortalProcess.Start(data, new Dictionary<string, string> { ["MeshPortal__Bootstrap__AdminPassword"] = Password },
                args: ["--init"], createDataDirectory: false);
            await portal.WaitHealthyAsync(TimeSpan.FromMinutes(2));
            Assert.True(File.Exists(Path.Combine(data, "meshportal.db")));

            // A fresh database logs no EF "partially applied state" warning, which read like data loss; one line says what ran.
            Assert.DoesNotContain("partially applied state", portal.Output);

            // Issue 17, finding 8: the databases and their WAL files are the portal user's alone.
            if (!OperatingSystem.IsWindows())
            {
                var files = Directory.GetFiles(data).Where(f => Path.GetFileName(f).Contains(".db", StringComparison.Ordinal)).ToList();
                Assert.Contains(files, f => f.EndsWith("meshportal.db-wal", StringComparison.Ordinal)); // EF created it, in WAL mode
                Assert.Contains(files, f => f.EndsWith("hangfire.db", StringComparison.Ordinal));
                foreach (var file in files)
                {
                    Assert.Equal((file, UnixFileMode.UserRead | UnixFileMode.UserWrite), (file, File.GetUnixFileMode(file)));
                }

                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(data, "keys")));
            }

            // Issue 17, finding 16: Production running from build output (not published) serves the framework's static assets.
            using var http = new HttpClient { BaseAddress = portal.Address };
            foreach (var asset in new[] { "/_framework/blazor.web.js", "/_content/MudBlazor/MudBlazor.min.css" })
            {
                var response = await http.GetAsync(asset);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 1000, $"{asset} has content");
            }
        }
        finally
        {
            Delete(data);
        }
    }

    private static void Delete(string directory)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // cleaned by the OS
        }
    }
}
