using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;

namespace MeshPortal.Benchmarks;

/// <summary>
/// Cold start of the portal process with existing data: the Release build of MeshPortal.Web run as its own process (a new
/// runtime each time: JIT, EF model, migrations check, Hangfire, start-up tasks) over a data directory that already holds N
/// registered clusters (simulated, in their own process) and E exports pushed to them. Timed from process start to the
/// first 200 from <c>/readyz</c>; the process is then stopped with SIGTERM and started again. Prints every run and the median.
/// Usage: <c>cold-start [runs=5] [clusters=3] [exports=200] [build=bin|image|path] [compare-dll]</c>. <c>bin</c> (the default)
/// starts <c>src/MeshPortal.Web/bin/Release/net10.0</c> (what <c>dotnet build -c Release</c> left); <c>image</c> first
/// publishes the portal exactly as the Dockerfile does (ReadyToRun, framework-dependent, the SDK's RID) into the temporary
/// folder and starts that: what the container image runs; a path to a MeshPortal.Web.dll starts that build. With <c>compare-dll</c> (another build's MeshPortal.Web.dll, e.g.
/// a copy of bin/Release from before a change) each run starts that build too, alternately over the same data, and both
/// medians are printed: before/after in the same run, at the same load. Each start prints the portal's start-up timeline
/// (phases since process start, logged when /readyz first answers 200) when the build logs one.
/// </summary>
internal static class ColdStartBenchmarks
{
    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
        var runs = Arg(0, 5);
        var clusterCount = Arg(1, 3);
        var exportCount = Arg(2, 200);
        var build = args.Length > 3 ? args[3] : "bin";
        if (build is not ("bin" or "image") && !(build.EndsWith(".dll", StringComparison.Ordinal) && File.Exists(build)))
        {
            throw new InvalidOperationException($"build is \"{build}\": use \"bin\" (bin/Release), \"image\" (published as the Dockerfile does) or an existing MeshPortal.Web.dll");
        }

        var compareDll = args.Length > 4 ? Path.GetFullPath(args[4]) : null;
        if (compareDll is not null && !File.Exists(compareDll))
        {
            throw new InvalidOperationException($"{compareDll} (the build to compare with) does not exist");
        }

        var directory = Directory.CreateTempSubdirectory("meshportal-coldstart-").FullName;
        var data = Directory.CreateDirectory(Path.Combine(directory, "data")).FullName;
        var dll = build switch
        {
            "image" => await PublishAsImageDoesAsync(Path.Combine(directory, "publish")),
            "bin" => Path.Combine(Root(), "src/MeshPortal.Web/bin/Release/net10.0/MeshPortal.Web.dll"),
            _ => Path.GetFullPath(build),
        };
        Console.WriteLine($"cold-start: portal build: {build} ({dll})");
        using var simulator = await ProbeCycleBenchmarks.StartSimulatorAsync(directory, clusterCount, exportCount);
        try
        {
            // The data: a first start registers the clusters and creates the exports through the API, then stops.
            var kubeconfig = await File.ReadAllTextAsync(Path.Combine(directory, "simulator-kubeconfig"));
            var (first, firstMs) = await StartAsync(data, dll);
            Console.WriteLine($"cold-start: first start (empty data directory, migrations) {firstMs:0} ms to /readyz");
            using (var api = Client(first.Port))
            {
                for (var c = 1; c <= clusterCount; c++)
                {
                    var registered = await api.PostAsJsonAsync("/api/v1/clusters", new { name = $"cluster-{c}", kubeconfig, context = $"cluster-{c}" });
                    if (!registered.IsSuccessStatusCode)
                    {
                        throw new InvalidOperationException($"register cluster-{c}: {(int)registered.StatusCode} {await registered.Content.ReadAsStringAsync()}");
                    }
                }

                for (var i = 1; i <= exportCount; i++)
                {
                    HttpResponseMessage response;
                    var watch = Stopwatch.StartNew();
                    // A cluster's connection check runs in the background after registration: until its gateway is known the export waits.
                    while (!(response = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = $"cluster-{((i - 1) % clusterCount) + 1}", @namespace = "extra", service = $"svc-{i:D4}" })).IsSuccessStatusCode)
                    {
                        if (watch.Elapsed > TimeSpan.FromMinutes(2))
                        {
                            throw new InvalidOperationException($"export svc-{i:D4}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                        }

                        await Task.Delay(500);
                    }
                }
            }

            await StopAsync(first.Process);
            var dbMb = Directory.GetFiles(data, "*.db*").Sum(f => new FileInfo(f).Length) / 1024.0 / 1024.0;
            Console.WriteLine($"cold-start: data: {clusterCount} clusters, {exportCount} exports ({dbMb:0.0} MB of SQLite files)");

            var times = new List<double>();
            var compared = new List<double>();
            for (var run = 1; run <= runs; run++)
            {
                if (compareDll is not null)
                {
                    var (before, beforeMs) = await StartAsync(data, compareDll);
                    compared.Add(beforeMs);
                    Console.WriteLine($"cold-start: run {run} (compare build): {beforeMs:0} ms to /readyz, CPU {before.CpuMs:0} ms (load {Load()})");
                    await PrintTimelineAsync(before.Timeline);
                    await StopAsync(before.Process);
                }

                var (portal, ms) = await StartAsync(data, dll);
                times.Add(ms);
                Console.WriteLine($"cold-start: run {run}: {ms:0} ms to /readyz, CPU {portal.CpuMs:0} ms (load {Load()})");
                await PrintTimelineAsync(portal.Timeline);
                await StopAsync(portal.Process);
            }

            if (compared.Count > 0)
            {
                compared.Sort();
                Console.WriteLine($"cold-start: compare build median {compared[compared.Count / 2]:0} ms over {runs} runs (min {compared[0]:0}, max {compared[^1]:0})");
            }

            times.Sort();
            Console.WriteLine($"cold-start: median {times[times.Count / 2]:0} ms over {runs} runs (min {times[0]:0}, max {times[^1]:0}; goal <= 3000 ms); load {Load()}");
        }
        finally
        {
            simulator.Kill(entireProcessTree: true);
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // The temp folder is cleaned by the OS.
            }
        }

        return 0;
    }

    /// <summary>The Dockerfile's <c>dotnet publish</c> (keep the two in step), into <paramref name="output"/>.</summary>
    internal static async Task<string> PublishAsImageDoesAsync(string output)
    {
        var watch = Stopwatch.StartNew();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Root() };
        foreach (var arg in (string[])["publish", "src/MeshPortal.Web", "-c", "Release", "-o", output, "--use-current-runtime", "--self-contained", "false", "-p:PublishReadyToRun=true"])
        {
            start.ArgumentList.Add(arg);
        }

        using var publish = Process.Start(start)!;
        var log = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({publish.ExitCode}):\n{await log}\n{await errors}");
        }

        Console.WriteLine($"cold-start: published as the Dockerfile does (ReadyToRun) in {watch.Elapsed.TotalSeconds:0} s");
        return Path.Combine(output, "MeshPortal.Web.dll");
    }

    /// <summary>
    /// The start-up timeline of one start, printed under its run's line: the portal logs it as /readyz first answers 200, so it
    /// may arrive just after the benchmark saw that 200. A build that logs none prints nothing after 5 s.
    /// </summary>
    private static async Task PrintTimelineAsync(Task<string> timeline)
    {
        if (await Task.WhenAny(timeline, Task.Delay(TimeSpan.FromSeconds(5))) == timeline)
        {
            Console.WriteLine("cold-start:   " + await timeline);
        }
    }

    private static async Task<((Process Process, int Port, Task<string> Timeline, double CpuMs) Portal, double Ms)> StartAsync(string data, string dll)
    {
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: dotnet build -c Release src/MeshPortal.Web");
        }

        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(dll)! };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["MeshPortal__DataDirectory"] = data;
        start.Environment["MeshPortal__Bootstrap__AdminPassword"] = "Correct-Horse-Battery-7";
        start.Environment["MeshPortal__Bootstrap__AdminToken"] = ProbeCycleBenchmarks.Token;
        start.Environment["MeshPortal__Demo__Clusters"] = "0";
        start.Environment["MeshPortal__RateLimits__ApiPerMinute"] = "0";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__MeshPortal.Startup"] = "Information"; // the start-up timeline
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        var watch = Stopwatch.StartNew();
        var process = Process.Start(start)!;
        var timeline = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.IndexOf("Start-up timeline", StringComparison.Ordinal) is >= 0 and var at)
            {
                timeline.TrySetResult(e.Data[at..]);
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("portal: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the portal exited with {process.ExitCode}");
            }

            try
            {
                using var ready = await http.GetAsync("/readyz");
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    var elapsed = watch.Elapsed.TotalMilliseconds;
                    process.Refresh(); // the CPU it took to get there (both cores; less sensitive to the machine's load than the wall time)
                    return ((process, port, timeline.Task, process.TotalProcessorTime.TotalMilliseconds), elapsed);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or no answer within the client's 5 s (a loaded machine while the portal starts).
            }

            if (watch.Elapsed > TimeSpan.FromMinutes(2))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("/readyz did not answer 200 within 2 minutes");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>SIGTERM (a graceful stop, as a container runtime does), then wait for the exit.</summary>
    private static async Task StopAsync(Process process)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }

    private static HttpClient Client(int port)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ProbeCycleBenchmarks.Token);
        return client;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Root()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "MeshPortal.sln")))
        {
            root = Path.GetDirectoryName(root.TrimEnd('/')) ?? throw new InvalidOperationException("MeshPortal.sln not found above " + AppContext.BaseDirectory);
        }

        return root;
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
