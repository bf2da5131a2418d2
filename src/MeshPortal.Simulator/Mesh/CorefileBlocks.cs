namespace MeshPortal.Simulator.Mesh;

/// <summary>A Corefile server block: its zone keys and its directive lines (tokens), nested blocks flattened.</summary>
internal sealed record CorefileBlock(IReadOnlyList<string> Zones, IReadOnlyList<string[]> Lines);

internal static class CorefileBlocks
{
    public static IReadOnlyList<CorefileBlock> Parse(string corefile)
    {
        var blocks = new List<CorefileBlock>();
        List<string>? zones = null;
        var lines = new List<string[]>();
        var depth = 0;
        foreach (var raw in corefile.Split('\n'))
        {
            var hash = raw.IndexOf('#');
            var tokens = (hash >= 0 ? raw[..hash] : raw)
                .Replace("{", " { ").Replace("}", " } ")
                .Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length == 0)
            {
                continue;
            }

            if (depth == 0)
            {
                var open = Array.IndexOf(tokens, "{");
                zones = [.. (open >= 0 ? tokens[..open] : tokens)];
                lines = [];
                if (open >= 0)
                {
                    depth = 1;
                    tokens = tokens[(open + 1)..];
                }
                else
                {
                    continue;
                }
            }

            var current = new List<string>();
            foreach (var token in tokens)
            {
                if (token == "}")
                {
                    depth--;
                    if (depth == 0)
                    {
                        Flush(current, lines);
                        blocks.Add(new CorefileBlock(zones ?? [], lines));
                        current = [];
                        continue;
                    }
                }
                else if (token == "{")
                {
                    depth++;
                }

                current.Add(token);
            }

            if (depth > 0)
            {
                Flush(current, lines);
            }
        }

        return blocks;
    }

    private static void Flush(List<string> tokens, List<string[]> lines)
    {
        if (tokens.Count > 0 && tokens[0] != "}")
        {
            lines.Add([.. tokens]);
        }
    }
}
