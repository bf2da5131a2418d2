using MeshPortal.Core.Features.Probes;

namespace MeshPortal.Tests.Core.Probes;

[Trait("Speed", "Fast")]
public sealed class ProbeScriptAndParserTests
{
    private static readonly ProbeTarget[] Targets =
    [
        new(1, 2, "httpbin.bar.global", 8000),
        new(2, 2, "web.shop.global", 80),
    ];

    [Fact]
    public void Script_curls_every_target_once_with_its_own_timeout_in_one_shell()
    {
        var command = ProbeScript.Command(Targets, TimeSpan.FromSeconds(5));
        Assert.Equal("sh", command[0]);
        Assert.Equal("-c", command[1]);
        var script = command[2];
        Assert.Equal(2, script.Split("curl ").Length - 1);
        Assert.Equal(2, script.Split("--max-time 5 ").Length - 1);
        Assert.Contains("http://httpbin.bar.global:8000/ 2>&1", script);
        Assert.Contains("echo @@mpb 1", script);
        Assert.Contains("-w '\\n@@mpe 1 %{http_code} %{time_total} %{exitcode}\\n'", script);
        Assert.DoesNotContain("|", script);
        Assert.DoesNotContain("$", script);
    }

    [Theory]
    [InlineData("evil.global; rm -rf /")]
    [InlineData("a$(id).global")]
    [InlineData("")]
    public void Script_refuses_hosts_the_shell_could_interpret(string host) =>
        Assert.Throws<ArgumentException>(() => ProbeScript.Build([new ProbeTarget(1, 1, host, 80)], TimeSpan.FromSeconds(5)));

    [Fact]
    public void Exec_budget_covers_every_target_running_to_its_timeout() =>
        Assert.True(ProbeScript.ExecBudget(10, TimeSpan.FromSeconds(5)) >= TimeSpan.FromSeconds(50));

    [Fact]
    public void Parser_reads_each_target_with_its_body_or_error()
    {
        var stdout = string.Join('\n',
            "@@mpb 0",
            "{\"headers\": {\"Host\": \"httpbin.bar.global:8000\"}}",
            "@@mpe 0 200 0.004512 0",
            "@@mpb 1",
            "curl: (6) Could not resolve host: web.shop.global",
            "",
            "@@mpe 1 000 0.000040 6",
            "");
        var parsed = ProbeOutputParser.Parse(stdout);
        Assert.Equal(2, parsed.Count);
        Assert.Equal(new CurlOutcome(200, 0.004512, 0, "{\"headers\": {\"Host\": \"httpbin.bar.global:8000\"}}"), parsed[0]);
        Assert.Equal(6, parsed[1].ExitCode);
        Assert.Equal(0, parsed[1].HttpCode);
        Assert.Contains("Could not resolve host", parsed[1].Text);
    }

    [Fact]
    public void Parser_keeps_an_error_printed_after_the_write_out_and_drops_unfinished_targets()
    {
        var stdout = "@@mpb 0\n\n@@mpe 0 000 5.001 28\ncurl: (28) Operation timed out after 5001 milliseconds\n@@mpb 1\npartial";
        var parsed = ProbeOutputParser.Parse(stdout);
        Assert.Single(parsed);
        Assert.Contains("timed out", parsed[0].Text);

        var records = ProbeRecord.FromOutput(Targets, parsed, "exec cut short", DateTimeOffset.UnixEpoch);
        Assert.Equal(ProbeStatus.Connect, records[0].Classification.Status);
        Assert.Equal(5001, records[0].LatencyMs);
        Assert.Equal(ProbeStatus.Unknown, records[1].Classification.Status);
        Assert.Contains("exec cut short", records[1].Classification.Message);
    }

    [Fact]
    public void Parser_survives_garbage() => Assert.Empty(ProbeOutputParser.Parse("@@mpe x y z\nhello\n@@mpb"));
}

[Trait("Speed", "Fast")]
public sealed class ProbeScriptSplitTests
{
    [Fact]
    public void Split_keeps_every_target_in_order_and_each_command_under_the_budget()
    {
        var targets = Enumerable.Range(0, 120).Select(i => new ProbeTarget(i, 1, $"service-{i}.namespace-{i % 9}.global", 8000 + i)).ToList();
        var batches = ProbeScript.Split(targets, TimeSpan.FromSeconds(5), 6000);
        Assert.InRange(batches.Count, 2, 6);
        Assert.Equal(targets, batches.SelectMany(b => b));
        Assert.All(batches, b => Assert.True(Uri.EscapeDataString(ProbeScript.Build(b, TimeSpan.FromSeconds(5))).Length <= 6000));
        Assert.Single(ProbeScript.Split(targets, TimeSpan.FromSeconds(5), 1_000_000));
    }
}
