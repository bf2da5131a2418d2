using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MeshPortal.Tests.Web.Alerts;

/// <summary>
/// deploy/monitoring: the Prometheus rules pass <c>promtool check rules</c> and their unit tests (<c>promtool test rules</c>), and the
/// rules and the Grafana dashboard only use metrics the portal's /metrics declares.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed partial class MonitoringFilesTests(PortalFixture portal)
{
    private static readonly string Folder = Path.Combine(Repo.Root(), "deploy", "monitoring");

    [PromtoolFact]
    public async Task Rules_pass_promtool_check_and_their_unit_tests()
    {
        var check = await RunAsync("check", "rules", "meshportal-rules.yml");
        Assert.True(check.Exit == 0, check.Output);
        Assert.Contains("SUCCESS: 9 rules found", check.Output);
        var test = await RunAsync("test", "rules", "meshportal-rules.test.yml");
        Assert.True(test.Exit == 0, test.Output);
    }

    [Fact]
    public async Task Rules_and_dashboard_use_only_metrics_the_portal_declares()
    {
        using var api = portal.CreateClient();
        var metrics = await api.GetStringAsync("/metrics");
        var declared = TypeLine().Matches(metrics).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("meshportal_alerts", declared);

        var rules = await File.ReadAllTextAsync(Path.Combine(Folder, "meshportal-rules.yml"));
        var dashboard = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Folder, "meshportal-dashboard.json")))!;
        var panels = dashboard["panels"]!.AsArray();
        Assert.Equal(panels.Count, panels.Select(p => (int)p!["id"]!).Distinct().Count());
        var exprs = panels.SelectMany(p => p!["targets"]!.AsArray()).Select(t => (string)t!["expr"]!).ToList();
        Assert.NotEmpty(exprs);
        var used = MetricName().Matches(rules + "\n" + string.Join("\n", exprs)).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(used.Except(declared));
        Assert.Contains("meshportal_probe_success", used);
    }

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(PromtoolFactAttribute.Binary) { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"^# TYPE (meshportal_\w+) ", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"meshportal_[a-z_]+")]
    private static partial Regex MetricName();
}

/// <summary>Skips where Debian's <c>prometheus</c> package (promtool) is not installed; CI installs it.</summary>
[Trait("Speed", "Web")]
public sealed class PromtoolFactAttribute : FactAttribute
{
    public const string Binary = "/usr/bin/promtool";

    public PromtoolFactAttribute()
    {
        if (!File.Exists(Binary))
        {
            Skip = $"{Binary} is missing: apt-get install -y prometheus";
        }
    }
}
