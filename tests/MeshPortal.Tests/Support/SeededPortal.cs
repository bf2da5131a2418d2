using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Tests.Support;

/// <summary>
/// A portal process of its own over a database the test writes directly (the list pages at a scale no API run would reach in a
/// test): no demo clusters, no job server work (nothing changes what was seeded), the admin of <see cref="PortalFixture"/>.
/// Clusters carry the facts a real connection check stored for a 1.6.8 simulated cluster, so each pair is a supported .global pair.
/// </summary>
public sealed class SeededPortal : IAsyncDisposable
{
    private SeededPortal(string data, PortalProcess portal)
    {
        Data = data;
        Portal = portal;
    }

    public string Data { get; }

    public PortalProcess Portal { get; }

    /// <summary>Starts the portal in a new temp directory named after <paramref name="prefix"/>, with <paramref name="settings"/> added.</summary>
    public static async Task<SeededPortal> StartAsync(string prefix, IReadOnlyDictionary<string, string>? settings = null)
    {
        var data = Directory.CreateTempSubdirectory(prefix).FullName;
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["MeshPortal__Demo__Clusters"] = "0",
            ["MeshPortal__Bootstrap__AdminPassword"] = PortalFixture.AdminPassword,
            ["MeshPortal__Bootstrap__AdminToken"] = PortalFixture.AdminToken,
            ["MeshPortal__RateLimits__ApiPerMinute"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var portal = PortalProcess.Start(data, environment);
        await portal.WaitHealthyAsync(TimeSpan.FromSeconds(120));
        return new SeededPortal(data, portal);
    }

    /// <summary>Opens the running portal's database, runs <paramref name="change"/> and saves.</summary>
    public async Task WriteAsync(Func<MeshPortalDbContext, Task> change)
    {
        await using var services = new ServiceCollection()
            .AddDbContextFactory<MeshPortalDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(Data, "meshportal.db")}", x => x.MigrationsAssembly(DatabaseSetup.SqliteMigrationsAssembly)))
            .BuildServiceProvider();
        await using var db = await services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        await change(db);
        await db.SaveChangesAsync();
    }

    /// <summary>Clusters named <paramref name="names"/> (the i-th at 127.0.0.i and gateway 203.0.113.i), checked just now, saved.</summary>
    public static async Task<List<ClusterEntity>> AddCheckedClustersAsync(MeshPortalDbContext db, IEnumerable<string> names, DateTimeOffset now)
    {
        var facts = new ClusterEntity { Name = "template", Context = "x", ProtectedKubeconfig = "x", Server = "https://127.0.0.1" };
        await using (var mesh = await MeshPortal.Simulator.SimulatedMesh.StartAsync(new MeshPortal.Simulator.SimulatorOptions { Clusters = 1, AdminEndpoint = false }))
        {
            await CheckedFacts.ApplyAsync(facts, mesh.Clusters[0]);
        }

        var clusters = names.Select((name, n) => (Name: name, I: n + 1)).Select(c => new ClusterEntity
        {
            Name = c.Name, Context = "x", ProtectedKubeconfig = "x", Server = $"https://127.0.0.{c.I}:6443",
            IstioVersion = facts.IstioVersion, KubernetesVersion = facts.KubernetesVersion, IstioCoreDnsAddress = facts.IstioCoreDnsAddress,
            DnsProxying = facts.DnsProxying, DnsProvider = facts.DnsProvider, MeshFactsJson = facts.MeshFactsJson,
            GatewayAddress = $"203.0.113.{c.I}", GatewayPort = 15443, LastCheckPassed = true, LastCheckedAt = now,
        }).ToList();
        db.Clusters.AddRange(clusters);
        await db.SaveChangesAsync();
        return clusters;
    }

    public async ValueTask DisposeAsync()
    {
        await Portal.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Data, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may hold a file a moment longer; the temp folder is cleaned by the OS.
        }
    }
}
