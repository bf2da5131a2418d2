using MeshPortal.Simulator.Tests.Mesh;

namespace MeshPortal.Simulator.Tests.Exec;

public sealed class CurlProgramTests
{
    [Fact]
    public async Task Link_latency_is_waited_and_reported_but_timeouts_are_simulated()
    {
        var mesh = SeedWorld.Build();
        mesh["cluster-1"].Faults.LinkLatency = TimeSpan.FromMilliseconds(40);

        var ok = await ShellRun.ExecAsync(mesh, "cluster-1", ["curl", "-s", "-o", "/dev/null", "-w", "%{time_total}", "httpbin.bar.global:8000/headers"]);
        Assert.Equal([TimeSpan.FromMilliseconds(40)], ok.Delays);
        Assert.InRange(double.Parse(ok.Stdout, System.Globalization.CultureInfo.InvariantCulture), 0.040, 0.060);

        mesh["cluster-2"].Faults.GatewayDown = true;
        var timeout = await ShellRun.ExecAsync(mesh, "cluster-1", ["curl", "-s", "-m", "5", "-w", "%{time_total} %{exitcode}", "httpbin.bar.global:8000/headers"]);
        Assert.Equal("5.001000 28", timeout.Stdout);
        Assert.Equal([TimeSpan.FromMilliseconds(40)], timeout.Delays);

        var noLimit = await ShellRun.ExecAsync(mesh, "cluster-1", ["curl", "-s", "-w", "%{http_code} %{time_total}", "httpbin.bar.global:8000/headers"]);
        Assert.StartsWith("upstream connect error", noLimit.Stdout);
        Assert.EndsWith("503 10.040000", noLimit.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_wait_without_latency_or_in_cluster()
    {
        var mesh = SeedWorld.Build();
        var run = await ShellRun.ShAsync(mesh, "cluster-1", "curl -s httpbin.bar.global:8000/headers >/dev/null; curl -s httpbin.bar:8000/get >/dev/null");

        Assert.Empty(run.Delays);
    }

    [Fact]
    public async Task Errors_are_silenced_by_s_unless_S()
    {
        var mesh = SeedWorld.Build();

        Assert.Equal("", (await ShellRun.ExecAsync(mesh, "cluster-1", ["curl", "-s", "nope.global"])).Stderr);
        Assert.Equal("curl: (6) Could not resolve host: nope.global\n", (await ShellRun.ExecAsync(mesh, "cluster-1", ["curl", "-sS", "nope.global"])).Stderr);
        var loud = await ShellRun.ExecAsync(mesh, "cluster-1", ["curl", "nope.global"]);
        Assert.EndsWith("curl: (6) Could not resolve host: nope.global\n", loud.Stderr);
        Assert.Equal(6, loud.ExitCode);
    }

    [Fact]
    public async Task Fail_flag_turns_http_errors_into_exit_22()
    {
        var mesh = SeedWorld.Build(sharedRoot: false);

        var plain = await ShellRun.ExecAsync(mesh, "cluster-1", ["curl", "-s", "httpbin.bar.global:8000/headers"]);
        Assert.Equal(0, plain.ExitCode);
        Assert.Contains("CERTIFICATE_VERIFY_FAILED", plain.Stdout);

        var failing = await ShellRun.ExecAsync(mesh, "cluster-1", ["curl", "-sSf", "httpbin.bar.global:8000/headers"]);
        Assert.Equal(22, failing.ExitCode);
        Assert.Equal("", failing.Stdout);
        Assert.Equal("curl: (22) The requested URL returned error: 503 Service Unavailable\n", failing.Stderr);
    }

    [Fact]
    public async Task Other_transport_failures()
    {
        var mesh = SeedWorld.Build();

        var refused = await ShellRun.ExecAsync(mesh, "cluster-1", ["curl", "-sS", "localhost:8080/"]);
        Assert.Equal((7, "curl: (7) Failed to connect to localhost port 8080: Connection refused\n"), (refused.ExitCode, refused.Stderr));

        var tls = await ShellRun.ExecAsync(mesh, "cluster-1", ["curl", "-sS", "https://httpbin.bar.global:8000/headers"]);
        Assert.Equal(35, tls.ExitCode);

        var reset = await ShellRun.ExecAsync(mesh, "cluster-1", ["curl", "-sS", "httpbin.bar.global:9000/headers"]);
        Assert.Equal((56, "curl: (56) Recv failure: Connection reset by peer\n"), (reset.ExitCode, reset.Stderr));

        var usage = await ShellRun.ExecAsync(mesh, "cluster-1", ["curl", "--nope"]);
        Assert.Equal(2, usage.ExitCode);
    }

    [Fact]
    public async Task The_last_url_decides_the_exit_code()
    {
        var mesh = SeedWorld.Build();

        Assert.Equal(0, (await ShellRun.ExecAsync(mesh, "cluster-1", ["curl", "-s", "-o", "/dev/null", "nope.global", "httpbin.bar:8000/"])).ExitCode);
        Assert.Equal(6, (await ShellRun.ExecAsync(mesh, "cluster-1", ["curl", "-s", "-o", "/dev/null", "httpbin.bar:8000/", "nope.global"])).ExitCode);
    }

    [Fact]
    public async Task Verbose_and_tty_change_stderr()
    {
        var mesh = SeedWorld.Build();

        var verbose = await ShellRun.ExecAsync(mesh, "cluster-1", ["curl", "-v", "-I", "httpbin.bar.global:8000/headers"]);
        Assert.Contains("*   Trying 240.0.0.2:8000...\n", verbose.Stderr);
        Assert.Contains("> HEAD /headers HTTP/1.1\n> Host: httpbin.bar.global:8000\n", verbose.Stderr);
        Assert.Contains("< HTTP/1.1 200 OK\n< server: envoy\n", verbose.Stderr);
        Assert.DoesNotContain("% Total", verbose.Stderr);

        var tty = await ShellRun.ExecAsync(mesh, "cluster-1", ["curl", "-I", "httpbin.bar.global:8000/headers"], tty: true);
        Assert.Equal("", tty.Stderr);
    }

    [Fact]
    public async Task Include_prints_headers_then_body()
    {
        var mesh = SeedWorld.Build();
        var run = await ShellRun.ExecAsync(mesh, "cluster-1", ["curl", "-si", "httpbin.bar:8000/status/418"]);

        Assert.StartsWith("HTTP/1.1 418 I'm a teapot\r\n", run.Stdout);
        Assert.EndsWith("\r\n\r\n", run.Stdout);
    }
}
