namespace MeshPortal.Simulator.Exec.Shell;

/// <summary><c>n&gt;&amp;m</c> (ToFd = m) or <c>n&gt;/dev/null</c> (ToFd = null).</summary>
internal sealed record ShellRedirect(int Fd, int? ToFd);

internal enum ShellJoin
{
    /// <summary>First command, or after <c>;</c> / newline.</summary>
    Always,

    /// <summary>After <c>&amp;&amp;</c>.</summary>
    IfSuccess,

    /// <summary>After <c>||</c>.</summary>
    IfFailure,
}

internal sealed record ShellCommand(ShellJoin Join, IReadOnlyList<string> Argv, IReadOnlyList<ShellRedirect> Redirects, int Line);

/// <summary>
/// The tiny shell's grammar: simple commands joined by <c>;</c>, newlines, <c>&amp;&amp;</c> and <c>||</c>; single and double
/// quotes, backslash escapes, comments, and the redirections <c>2&gt;&amp;1</c>, <c>&gt;&amp;2</c>, <c>[n]&gt;/dev/null</c>.
/// Anything else a real sh would do (pipes, variables, substitutions, control flow, file redirections) is refused with
/// a clear message rather than imitated.
/// </summary>
internal sealed record ShellScript(IReadOnlyList<ShellCommand> Commands)
{
    private static readonly HashSet<string> Reserved =
        ["if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "in", "function", "{", "}", "!", "[[", "]]"];

    /// <returns>The script, or an error for <c>sh: LINE: ERROR</c> (exit 2).</returns>
    public static (ShellScript? Script, int Line, string? Error) Parse(string text)
    {
        var (tokens, lexLine, lexError) = ShellLexer.Tokenize(text);
        if (lexError is not null)
        {
            return (null, lexLine, lexError);
        }

        var commands = new List<ShellCommand>();
        var argv = new List<string>();
        var redirects = new List<ShellRedirect>();
        var join = ShellJoin.Always;
        var afterAndOr = false;
        var line = 1;
        foreach (var token in tokens)
        {
            switch (token)
            {
                case ShellToken.Word word:
                    if (argv.Count == 0 && IsUnsupportedFirstWord(word.Text) is { } why)
                    {
                        return (null, word.Line, why);
                    }

                    if (argv.Count == 0 && redirects.Count == 0)
                    {
                        line = word.Line;
                    }

                    argv.Add(word.Text);
                    break;
                case ShellToken.Redirect redirect:
                    if (argv.Count == 0 && redirects.Count == 0)
                    {
                        line = redirect.Line;
                    }

                    redirects.Add(redirect.Value);
                    break;
                case ShellToken.Operator op when argv.Count == 0 && redirects.Count == 0:
                    if (op.Text == "\n" && (afterAndOr || commands.Count == 0 || join == ShellJoin.Always))
                    {
                        continue;
                    }

                    return (null, op.Line, $"Syntax error: \"{op.Text}\" unexpected");
                case ShellToken.Operator op:
                    commands.Add(new ShellCommand(join, [.. argv], [.. redirects], line));
                    argv.Clear();
                    redirects.Clear();
                    join = op.Text switch { "&&" => ShellJoin.IfSuccess, "||" => ShellJoin.IfFailure, _ => ShellJoin.Always };
                    afterAndOr = join != ShellJoin.Always;
                    continue;
            }

            afterAndOr = false;
        }

        if (argv.Count > 0 || redirects.Count > 0)
        {
            commands.Add(new ShellCommand(join, [.. argv], [.. redirects], line));
        }
        else if (join != ShellJoin.Always)
        {
            return (null, line, "Syntax error: end of file unexpected");
        }

        return (new ShellScript(commands), 0, null);
    }

    private static string? IsUnsupportedFirstWord(string word)
    {
        if (Reserved.Contains(word))
        {
            return $"simulated shell: '{word}' is not supported (only simple commands joined by ;, &&, ||)";
        }

        var eq = word.IndexOf('=');
        return eq > 0 && word[..eq].All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(word[0])
            ? "simulated shell: variable assignments are not supported"
            : null;
    }
}
