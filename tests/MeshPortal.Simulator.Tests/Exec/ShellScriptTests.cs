using MeshPortal.Simulator.Exec.Shell;

namespace MeshPortal.Simulator.Tests.Exec;

public sealed class ShellScriptTests
{
    [Fact]
    public void Splits_sequences_and_and_or_lists()
    {
        var (script, _, error) = ShellScript.Parse("echo a; false && echo b || echo 'c d'\n\necho \"e \\\"f\\\"\" # comment");

        Assert.Null(error);
        Assert.Equal(
            [(ShellJoin.Always, "echo a"), (ShellJoin.Always, "false"), (ShellJoin.IfSuccess, "echo b"), (ShellJoin.IfFailure, "echo c d"), (ShellJoin.Always, "echo e \"f\"")],
            script!.Commands.Select(c => (c.Join, string.Join(' ', c.Argv))));
        Assert.Equal(3, script.Commands[^1].Line);
    }

    [Fact]
    public void Single_quotes_keep_backslashes_for_curl()
    {
        var (script, _, _) = ShellScript.Parse("curl -w '%{http_code}\\n' -s x");

        Assert.Equal(["curl", "-w", "%{http_code}\\n", "-s", "x"], script!.Commands.Single().Argv);
    }

    [Fact]
    public void Reads_dev_null_and_fd_redirections()
    {
        var (script, _, _) = ShellScript.Parse("curl x >/dev/null 2>&1; curl y 2> /dev/null");

        Assert.Equal([new ShellRedirect(1, null), new ShellRedirect(2, 1)], script!.Commands[0].Redirects);
        Assert.Equal(["curl", "x"], script.Commands[0].Argv);
        Assert.Equal([new ShellRedirect(2, null)], script.Commands[1].Redirects);
    }

    [Theory]
    [InlineData("echo 'a", "Syntax error: Unterminated quoted string")]
    [InlineData("&& echo", "Syntax error: \"&&\" unexpected")]
    [InlineData("echo a ;; echo", "simulated shell: ';;' is not supported")]
    [InlineData("echo a &&", "Syntax error: end of file unexpected")]
    [InlineData("curl x | head", "simulated shell: '|' (pipes) is not supported")]
    [InlineData("echo $HOME", "simulated shell: '$' is not supported")]
    [InlineData("echo \"$HOME\"", "simulated shell: '$' (expansion) is not supported")]
    [InlineData("for h in a b; do curl x; done", "simulated shell: 'for' is not supported")]
    [InlineData("curl x > out.txt", "simulated shell: redirection to 'out.txt' (files) is not supported")]
    [InlineData("X=1 curl x", "simulated shell: variable assignments are not supported")]
    public void Refuses_what_it_does_not_implement(string text, string error)
    {
        var (script, _, actual) = ShellScript.Parse(text);

        Assert.Null(script);
        Assert.StartsWith(error, actual);
    }

    [Fact]
    public void Newline_after_and_continues_the_list()
    {
        var (script, _, _) = ShellScript.Parse("true &&\n echo ok");

        Assert.Equal(ShellJoin.IfSuccess, script!.Commands[1].Join);
    }
}
