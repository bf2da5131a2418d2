using System.Globalization;
using System.Text;

namespace MeshPortal.Simulator.Validation.Cel;

internal enum CelTokenKind { Int, Double, String, Ident, Op, End }

internal readonly record struct CelToken(CelTokenKind Kind, string Text, object? Value = null);

/// <summary>Tokens of the CEL subset the CRDs' <c>x-kubernetes-validations</c> rules use (cel-spec lexical grammar).</summary>
internal static class CelLexer
{
    private static readonly string[] Operators = ["&&", "||", "==", "!=", "<=", ">=", "!", "<", ">", "+", "-", "*", "/", "%", "?", ":", ".", ",", "(", ")", "[", "]", "{", "}"];

    public static List<CelToken> Tokenize(string text)
    {
        var tokens = new List<CelToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
                {
                    i++;
                    while (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        i++;
                    }

                    tokens.Add(new(CelTokenKind.Double, text[start..i], double.Parse(text[start..i], CultureInfo.InvariantCulture)));
                }
                else
                {
                    tokens.Add(new(CelTokenKind.Int, text[start..i], long.Parse(text[start..i], CultureInfo.InvariantCulture)));
                }
            }
            else if (c is '"' or '\'')
            {
                i = ReadString(text, i, tokens);
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new(CelTokenKind.Ident, text[start..i]));
            }
            else
            {
                var op = Operators.FirstOrDefault(o => string.CompareOrdinal(text, i, o, 0, o.Length) == 0)
                    ?? throw new CelException($"Syntax error: token recognition error at: '{c}'");
                tokens.Add(new(CelTokenKind.Op, op));
                i += op.Length;
            }
        }

        tokens.Add(new(CelTokenKind.End, ""));
        return tokens;
    }

    private static int ReadString(string text, int i, List<CelToken> tokens)
    {
        var quote = text[i++];
        var sb = new StringBuilder();
        while (i < text.Length && text[i] != quote)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                sb.Append(text[i] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var other => other });
            }
            else
            {
                sb.Append(text[i]);
            }

            i++;
        }

        if (i >= text.Length)
        {
            throw new CelException("Syntax error: unterminated string literal");
        }

        tokens.Add(new(CelTokenKind.String, sb.ToString(), sb.ToString()));
        return i + 1;
    }
}

/// <summary>A CEL compile or evaluation error.</summary>
internal sealed class CelException(string message) : Exception(message);
