namespace MeshPortal.Core.Features.Exports;

/// <summary>
/// A conservative check of a CoreDNS Corefile (Caddyfile syntax, as CoreDNS's <c>caddyfile</c> lexer reads it): server blocks
/// <c>zone[:port] ... {</c> with directives and nested blocks, snippets <c>(name) { }</c>, comments, quoted tokens. Anything
/// else (a block without braces, environment placeholders <c>{$VAR}</c>, heredocs, unbalanced braces or quotes) is reported
/// as not understood, so MeshPortal leaves the Corefile alone rather than write something CoreDNS might refuse. Pure.
/// </summary>
public static class CorefileSyntax
{
    /// <summary>Null when the Corefile is understood; otherwise what is not, with its line number.</summary>
    public static string? Problem(string? corefile)
    {
        if (corefile is null)
        {
            return "The ConfigMap has no Corefile key.";
        }

        var depth = 0;
        var lineNo = 0;
        var openedAt = new Stack<int>();
        foreach (var rawLine in corefile.Split('\n'))
        {
            lineNo++;
            var tokens = Tokens(rawLine, lineNo, out var problem);
            if (problem is not null)
            {
                return problem;
            }

            for (var i = 0; i < tokens.Count; i++)
            {
                var token = tokens[i];
                if (token.Quoted)
                {
                    if (depth == 0)
                    {
                        return $"Line {lineNo}: a quoted token outside any server block.";
                    }

                    continue;
                }

                if (token.Text.Contains("{$", StringComparison.Ordinal) || token.Text.Contains("{%", StringComparison.Ordinal))
                {
                    return $"Line {lineNo}: environment placeholder '{token.Text}' (expanded by CoreDNS at start, so MeshPortal cannot know the result).";
                }

                if (token.Text.StartsWith("<<", StringComparison.Ordinal))
                {
                    return $"Line {lineNo}: heredoc '{token.Text}' is not understood.";
                }

                if (token.Text == "{")
                {
                    if (i != tokens.Count - 1)
                    {
                        return $"Line {lineNo}: '{{' must end its line.";
                    }

                    if (i == 0)
                    {
                        return $"Line {lineNo}: a block opens without keys on the same line.";
                    }

                    depth++;
                    openedAt.Push(lineNo);
                }
                else if (token.Text == "}")
                {
                    if (tokens.Count != 1)
                    {
                        return $"Line {lineNo}: '}}' must stand on its own line.";
                    }

                    if (depth == 0)
                    {
                        return $"Line {lineNo}: '}}' closes nothing.";
                    }

                    depth--;
                    openedAt.Pop();
                }
                else if (token.Text.Contains('{', StringComparison.Ordinal) || token.Text.Contains('}', StringComparison.Ordinal))
                {
                    return $"Line {lineNo}: brace inside the token '{token.Text}'.";
                }
                else if (depth == 0 && !tokens.Any(t => !t.Quoted && t.Text == "{"))
                {
                    return $"Line {lineNo}: '{string.Join(' ', tokens.Select(t => t.Text))}' is outside any server block (a Corefile without braces is not understood).";
                }
            }
        }

        return depth == 0 ? null : $"Line {openedAt.Peek()}: the block opened here is never closed.";
    }

    private readonly record struct Token(string Text, bool Quoted);

    private static List<Token> Tokens(string line, int lineNo, out string? problem)
    {
        problem = null;
        var tokens = new List<Token>();
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '#')
            {
                break;
            }

            if (c is '"' or '`')
            {
                var end = i + 1;
                while (end < line.Length && line[end] != c)
                {
                    end += line[end] == '\\' && c == '"' ? 2 : 1;
                }

                if (end >= line.Length)
                {
                    problem = $"Line {lineNo}: unterminated quote.";
                    return tokens;
                }

                tokens.Add(new Token(line[(i + 1)..end], true));
                i = end + 1;
                continue;
            }

            var start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            tokens.Add(new Token(line[start..i], false));
        }

        return tokens;
    }
}
