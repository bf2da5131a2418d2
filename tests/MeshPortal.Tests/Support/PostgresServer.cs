using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace MeshPortal.Tests.Support;

/// <summary>
/// A real PostgreSQL for the tests. <c>MESHPORTAL_TEST_POSTGRES</c> (a connection string to a server whose user may create
/// databases; <c>.ci/run</c> sets it) wins; otherwise, when Debian's server binaries are installed, the fixture runs its
/// own: <c>initdb</c> into a temp directory and <c>pg_ctl start</c> on a free loopback port (as the <c>postgres</c> user via
/// <c>runuser</c> when the tests run as root, since PostgreSQL refuses to run as root), stopped and deleted at the end.
/// So plain <c>dotnet test MeshPortal.sln</c> covers PostgreSQL on any machine with the server installed.
/// Each test gets its own database from <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string EnvironmentVariable = "MESHPORTAL_TEST_POSTGRES";

    private string? directory;
    private string? binaries;

    /// <summary>Connection string to the server's maintenance database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>Why PostgreSQL tests cannot run here, or null.</summary>
    public static string? Unavailable() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } || FindBinaries() is not null
            ? null
            : $"no PostgreSQL: set {EnvironmentVariable} or install the server (apt-get install postgresql)";

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given)
        {
            ConnectionString = given;
            return;
        }

        binaries = FindBinaries();
        if (binaries is null)
        {
            return; // every test using it is skipped by PostgresFact
        }

        directory = Directory.CreateTempSubdirectory("meshportal-pg-").FullName;
        var data = Path.Combine(directory, "data");
        var port = FreePort();
        if (RunningAsRoot())
        {
            await RunAsync("chown", ["postgres:postgres", directory]);
        }

        await RunAsPostgresAsync(Path.Combine(binaries, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "--no-locale", "-E", "UTF8"]);
        await RunAsPostgresAsync(Path.Combine(binaries, "pg_ctl"),
        [
            "-D", data, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60",
            "-o", $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
            "start",
        ]);
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

    /// <summary>A fresh, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "mp")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 33)];
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (directory is null || binaries is null)
        {
            return;
        }

        try
        {
            await RunAsPostgresAsync(Path.Combine(binaries, "pg_ctl"), ["-D", Path.Combine(directory, "data"), "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.GetDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
            .OrderByDescending(b => b, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private static bool RunningAsRoot() => Environment.UserName == "root";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RunAsPostgresAsync(string program, IReadOnlyList<string> args) =>
        RunningAsRoot() ? RunAsync("runuser", ["-u", "postgres", "--", program, .. args]) : RunAsync(program, args);

    private static async Task RunAsync(string program, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {process.ExitCode}: {await stdout}{await stderr}");
        }
    }
}

/// <summary>A fact that needs PostgreSQL (<see cref="PostgresServer"/>); skipped only where none can be had.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.Unavailable() is { } why)
        {
            Skip = why;
        }
    }
}

// Not in parallel with other collections: these tests start portal processes and up to 200 simulated clusters, which would
// starve the browser tests' timeouts on a small machine.
[CollectionDefinition("postgres", DisableParallelization = true)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>;
