using System.Text;

namespace MeshPortal.Simulator.Exec.Shell;

internal abstract record ShellToken(int Line)
{
    public sealed record Word(string Text, int Line) : ShellToken(Line);

    /// <summary><c>;</c>, <c>&amp;&amp;</c>, <c>||</c>, or a newline ("\n").</summary>
    public sealed record Operator(string Text, int Line) : ShellToken(Line);

    public sealed record Redirect(ShellRedirect Value, int Line) : ShellToken(Line);
}

/// <summary>Splits shell text into words (quotes removed), operators and redirections.</summary>
internal static class ShellLexer
{
    public static (IReadOnlyList<ShellToken> Tokens, int Line, string? Error) Tokenize(string text)
    {
        var tokens = new List<ShellToken>();
        var word = new StringBuilder();
        var inWord = false;
        var line = 1;

        void EndWord()
        {
            if (inWord)
            {
                tokens.Add(new ShellToken.Word(word.ToString(), line));
            }

            word.Clear();
            inWord = false;
        }

        (IReadOnlyList<ShellToken>, int, string?) Unsupported(string what) =>
            (tokens, line, $"simulated shell: {what} not supported (only simple commands joined by ;, &&, ||)");

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            switch (c)
            {
                case ' ' or '\t' or '\r':
                    EndWord();
                    break;
                case '\n':
                    EndWord();
                    tokens.Add(new ShellToken.Operator("\n", line));
                    line++;
                    break;
                case '#' when !inWord:
                    while (i + 1 < text.Length && text[i + 1] != '\n')
                    {
                        i++;
                    }

                    break;
                case '\'':
                    var close = text.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        return (tokens, line, "Syntax error: Unterminated quoted string");
                    }

                    word.Append(text, i + 1, close - i - 1);
                    line += text[i..close].Count(ch => ch == '\n');
                    inWord = true;
                    i = close;
                    break;
                case '"':
                    inWord = true;
                    for (i++; ; i++)
                    {
                        if (i >= text.Length)
                        {
                            return (tokens, line, "Syntax error: Unterminated quoted string");
                        }

                        var q = text[i];
                        if (q == '"')
                        {
                            break;
                        }

                        if (q is '$' or '`')
                        {
                            return Unsupported($"'{q}' (expansion) is");
                        }

                        if (q == '\\' && i + 1 < text.Length && text[i + 1] is '$' or '`' or '"' or '\\' or '\n')
                        {
                            i++;
                            if (text[i] != '\n')
                            {
                                word.Append(text[i]);
                            }

                            continue;
                        }

                        line += q == '\n' ? 1 : 0;
                        word.Append(q);
                    }

                    break;
                case '\\':
                    if (next == '\n')
                    {
                        line++;
                    }
                    else if (next != '\0')
                    {
                        word.Append(next);
                        inWord = true;
                    }

                    i++;
                    break;
                case ';' when next == ';':
                    return Unsupported("';;' is");
                case ';':
                    EndWord();
                    tokens.Add(new ShellToken.Operator(";", line));
                    break;
                case '&' when next == '&':
                case '|' when next == '|':
                    EndWord();
                    tokens.Add(new ShellToken.Operator($"{c}{c}", line));
                    i++;
                    break;
                case '&':
                    return Unsupported("'&' (background jobs) is");
                case '|':
                    return Unsupported("'|' (pipes) is");
                case '<':
                    return Unsupported("'<' (input redirection) is");
                case '>':
                    var fd = 1;
                    if (inWord && word.ToString() is "1" or "2")
                    {
                        fd = word[0] - '0';
                        word.Clear();
                        inWord = false;
                    }

                    EndWord();
                    i += next == '>' ? 2 : 1;
                    if (i < text.Length && text[i] == '&')
                    {
                        if (i + 1 < text.Length && text[i + 1] is '1' or '2')
                        {
                            tokens.Add(new ShellToken.Redirect(new ShellRedirect(fd, text[i + 1] - '0'), line));
                            i++;
                            break;
                        }

                        return Unsupported("this redirection is");
                    }

                    while (i < text.Length && text[i] is ' ' or '\t')
                    {
                        i++;
                    }

                    var start = i;
                    while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not (';' or '&' or '|' or '>' or '<'))
                    {
                        i++;
                    }

                    if (text[start..i] != "/dev/null")
                    {
                        return Unsupported($"redirection to '{text[start..i]}' (files) is");
                    }

                    tokens.Add(new ShellToken.Redirect(new ShellRedirect(fd, null), line));
                    i--;
                    break;
                case '$' or '`' or '(' or ')':
                    return Unsupported($"'{c}' is");
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }

        EndWord();
        return (tokens, line, null);
    }
}
