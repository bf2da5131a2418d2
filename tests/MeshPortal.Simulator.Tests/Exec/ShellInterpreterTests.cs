using MeshPortal.Simulator.Tests.Mesh;

namespace MeshPortal.Simulator.Tests.Exec;

public sealed class ShellInterpreterTests
{
    private readonly World _mesh = SeedWorld.Build();

    [Theory]
    [InlineData("exit 3", 3, "", "")]
    [InlineData("echo hello mesh", 0, "hello mesh\n", "")]
    [InlineData("echo -n x; echo y", 0, "xy\n", "")]
    [InlineData("false || echo rescued", 0, "rescued\n", "")]
    [InlineData("false && echo never", 1, "", "")]
    [InlineData("true; exit 7; echo never", 7, "", "")]
    [InlineData("foo", 127, "", "sh: 1: foo: not found\n")]
    [InlineData("echo a\nbar", 127, "a\n", "sh: 2: bar: not found\n")]
    [InlineData("exit x", 2, "", "sh: 1: exit: Illegal number: x\n")]
    [InlineData("echo out >&2", 0, "", "out\n")]
    [InlineData("foo 2>/dev/null", 127, "", "")]
    [InlineData("sh -c 'sh -c \"exit 4\"'", 4, "", "")]
    [InlineData("cat /etc/passwd", 1, "", "cat: /etc/passwd: No such file or directory\n")]
    [InlineData("echo 'a", 2, "", "sh: 1: Syntax error: Unterminated quoted string\n")]
    public async Task Runs_sh_c_scripts(string script, int exitCode, string stdout, string stderr)
    {
        var run = await ShellRun.ShAsync(_mesh, "cluster-1", script);

        Assert.Equal((exitCode, stdout, stderr), (run.ExitCode, run.Stdout, run.Stderr));
    }

    [Fact]
    public async Task Hostname_is_the_pod_name()
    {
        var run = await ShellRun.ShAsync(_mesh, "cluster-1", "hostname");

        Assert.Equal(_mesh.PodName("cluster-1") + "\n", run.Stdout);
    }

    [Fact]
    public async Task Cat_echoes_stdin_and_sh_reads_a_script_from_it()
    {
        Assert.Equal("piped\n", (await ShellRun.ExecAsync(_mesh, "cluster-1", ["cat"], stdin: "piped\n")).Stdout);
        Assert.Equal(5, (await ShellRun.ExecAsync(_mesh, "cluster-1", ["/bin/sh"], stdin: "echo hi\nexit 5\n")).ExitCode);
    }

    [Fact]
    public async Task A_bare_exec_of_a_missing_program_fails_like_the_runtime()
    {
        var run = await ShellRun.ExecAsync(_mesh, "cluster-1", ["wget", "x"]);

        Assert.Equal(126, run.ExitCode);
        Assert.Contains("executable file not found in $PATH", run.Stderr);
    }

    [Fact]
    public async Task Several_urls_in_one_script_each_answer()
    {
        var run = await ShellRun.ShAsync(_mesh, "cluster-1",
            "curl -s -o /dev/null -w '%{http_code}\\n' httpbin.bar.global:8000/headers; curl -s -o /dev/null -w '%{http_code}\\n' httpbin.bar:8000/status/418 nope.global");

        Assert.Equal("200\n418\n000\n", run.Stdout);
        Assert.Equal(6, run.ExitCode);
    }
}
