using k8s;
using k8s.Autorest;

namespace MeshPortal.Simulator.Tests.Exec;

/// <summary>Exec over v4.channel.k8s.io with the real C# client against the running simulator.</summary>
public sealed class ExecV4ClientTests(ExecMeshFixture fx) : IClassFixture<ExecMeshFixture>
{
    private async Task<(int ExitCode, string Stdout, string Stderr)> ExecAsync(params string[] command)
    {
        using var client = fx.Client();
        string stdout = "", stderr = "";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var exit = await client.NamespacedPodExecAsync(fx.SleepPod, "foo", "sleep", command, false, async (_, output, error) =>
        {
            using var o = new StreamReader(output);
            using var e = new StreamReader(error);
            var readOut = o.ReadToEndAsync();
            stderr = await e.ReadToEndAsync();
            stdout = await readOut;
        }, timeout.Token);
        return (exit, stdout, stderr);
    }

    [Fact]
    public async Task Echo_and_exit_codes()
    {
        Assert.Equal((0, "hello mesh\n", ""), await ExecAsync("echo", "hello", "mesh"));
        Assert.Equal(3, (await ExecAsync("sh", "-c", "exit 3")).ExitCode);
        Assert.Equal((127, "", "sh: 1: nope: not found\n"), await ExecAsync("sh", "-c", "nope"));
    }

    [Fact]
    public async Task The_seed_curl_answers_200_through_the_mesh()
    {
        var (exit, stdout, stderr) = await ExecAsync("curl", "-I", "httpbin.bar.global:8000/headers");

        Assert.Equal(0, exit);
        Assert.StartsWith("HTTP/1.1 200 OK\r\nserver: envoy\r\n", stdout);
        Assert.Contains("% Total", stderr);
    }

    [Fact]
    public async Task A_probe_script_reports_each_target()
    {
        var (exit, stdout, _) = await ExecAsync("sh", "-c",
            "curl -sS -o /dev/null --max-time 5 -w '%{http_code} %{exitcode}\\n' httpbin.bar.global:8000/headers nope.bar.global:8000/ httpbin.bar:8000/get");

        Assert.Equal(0, exit);
        Assert.Equal("200 0\n000 6\n200 0\n", stdout);
    }

    [Fact]
    public async Task Missing_pod_is_refused_before_the_upgrade()
    {
        using var client = fx.Client();
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            client.NamespacedPodExecAsync("nope", "foo", "sleep", ["true"], false, (_, _, _) => Task.CompletedTask, CancellationToken.None));

        // 21.0.8 surfaces a refused upgrade as WebSocketException("...status code '404'...") on .NET 10, or re-reads the Status.
        Assert.True(error is HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.NotFound }
            || error.Message.Contains("'404'", StringComparison.Ordinal), error.ToString());
    }

    [Theory]
    [InlineData("nope", "sleep", 404, "NotFound", "pods \"nope\" not found")]
    [InlineData(null, "nginx", 400, "BadRequest", "container nginx is not valid for pod ")]
    [InlineData(null, "sleep", 400, "BadRequest", "Upgrade request required")]
    public async Task Refusals_are_status_objects(string? pod, string container, int code, string reason, string message)
    {
        using var http = Support.TestHttp.For(fx.Mesh["cluster-1"]);
        var url = new Uri(fx.Mesh["cluster-1"].Server, $"/api/v1/namespaces/foo/pods/{pod ?? fx.SleepPod}/exec?command=true&container={container}&stdout=1");

        using var response = await http.GetAsync(url);
        var status = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(code, (int)response.StatusCode);
        Assert.Equal(("Status", "Failure", reason, code), ((string?)status["kind"], (string?)status["status"], (string?)status["reason"], (int?)status["code"]));
        Assert.StartsWith(message, (string?)status["message"]);
    }

    [Fact]
    public async Task Exec_fault_fails_with_an_internal_error_status()
    {
        fx.Mesh["cluster-2"].Faults.ExecFails = true;
        try
        {
            using var client = fx.Client("cluster-2");
            var pod = (await client.CoreV1.ListNamespacedPodAsync("foo", labelSelector: "app=sleep")).Items.Single().Metadata.Name;
            var error = await Assert.ThrowsAsync<KubernetesException>(() =>
                client.NamespacedPodExecAsync(pod, "foo", "sleep", ["true"], false, (_, o, _) => new StreamReader(o).ReadToEndAsync(), CancellationToken.None));
            Assert.Contains("container not running", error.Message);
        }
        finally
        {
            fx.Mesh["cluster-2"].Faults.ExecFails = false;
        }
    }

    [Fact]
    public async Task Gateway_down_times_out_in_simulated_time_only()
    {
        fx.Mesh["cluster-2"].Faults.GatewayDown = true;
        try
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            var (exit, stdout, stderr) = await ExecAsync("curl", "-sS", "--max-time", "5", "-w", "%{time_total}", "httpbin.bar.global:8000/headers");
            Assert.Equal(28, exit);
            Assert.Equal("5.001000", stdout);
            Assert.Equal("curl: (28) Operation timed out after 5001 milliseconds with 0 bytes received\n", stderr);
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(4), $"took {started.Elapsed}");
        }
        finally
        {
            fx.Mesh["cluster-2"].Faults.GatewayDown = false;
        }
    }

    [Fact]
    public async Task Link_latency_is_really_waited_and_reported()
    {
        fx.Mesh["cluster-1"].Faults.LinkLatency = TimeSpan.FromMilliseconds(300);
        try
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            var (exit, stdout, _) = await ExecAsync("curl", "-s", "-o", "/dev/null", "-w", "%{time_total}", "httpbin.bar.global:8000/headers");

            Assert.Equal(0, exit);
            Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(290), $"took {started.Elapsed}");
            Assert.InRange(double.Parse(stdout, System.Globalization.CultureInfo.InvariantCulture), 0.300, 0.320);
        }
        finally
        {
            fx.Mesh["cluster-1"].Faults.LinkLatency = TimeSpan.Zero;
        }
    }
}
