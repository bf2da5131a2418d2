namespace MeshPortal.Web.ViewModels;

/// <summary>
/// Splits display text so identifiers stay whole when it wraps (issue 16: "cluster- 1", "istio- system"): a run of
/// non-space characters with a hyphen, dot, slash, colon or underscore inside is marked <see cref="Piece.Whole"/> (the
/// page renders it unbreakable), unless it is longer than <see cref="LongToken"/> characters, which may have to break
/// to fit a phone screen (a URL, a fingerprint). The pieces concatenate to the original text.
/// </summary>
public static class WholeTokens
{
    public const int LongToken = 40;

    public readonly record struct Piece(string Text, bool Whole);

    public static IReadOnlyList<Piece> Split(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var pieces = new List<Piece>();
        var plain = new System.Text.StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                plain.Append(text[i++]);
                continue;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var word = text[start..i];
            if (word.Length <= LongToken && HasInnerJoiner(word))
            {
                if (plain.Length > 0)
                {
                    pieces.Add(new Piece(plain.ToString(), false));
                    plain.Clear();
                }

                pieces.Add(new Piece(word, true));
            }
            else
            {
                plain.Append(word);
            }
        }

        if (plain.Length > 0)
        {
            pieces.Add(new Piece(plain.ToString(), false));
        }

        return pieces;
    }

    // A joiner between two characters (not a trailing full stop or a leading slash).
    private static bool HasInnerJoiner(string word)
    {
        for (var i = 1; i < word.Length - 1; i++)
        {
            if (word[i] is '-' or '.' or '/' or ':' or '_')
            {
                return true;
            }
        }

        return false;
    }
}
