using MeshPortal.Core.Features.MeshModel;

namespace MeshPortal.Core.Features.Exports;

/// <summary>
/// Adds, updates and removes the <c>global:53</c> server block of a CoreDNS Corefile (reference §2), leaving every other line
/// byte-identical. The block MeshPortal writes carries a marker comment, so removal never touches a block a person wrote;
/// an unmarked <c>global</c> block is taken over (replaced) when MeshPortal needs one. Pure.
/// </summary>
public static class CorefileEditor
{
    public const string Marker = "# managed by MeshPortal: .global -> istiocoredns";

    /// <summary>The block for <paramref name="istioCoreDnsIp"/>: <c>forward . IP:53</c>, or <c>proxy . IP</c> for CoreDNS &lt; 1.4.</summary>
    public static string Block(string istioCoreDnsIp, bool useProxy) =>
        "global:53 {\n" +
        $"    {Marker}\n" +
        "    errors\n" +
        "    cache 30\n" +
        (useProxy ? $"    proxy . {istioCoreDnsIp}\n" : $"    forward . {istioCoreDnsIp}:53\n") +
        "}\n";

    /// <summary>True for CoreDNS older than 1.4.0 (which has <c>proxy</c> and no <c>forward</c>); unknown versions count as ≥ 1.4.</summary>
    public static bool NeedsProxy(string? coreDnsVersion) =>
        ClusterFactsReader.CompareVersions(coreDnsVersion, "1.4.0") is < 0;

    /// <summary>The Corefile with exactly one global block pointing at <paramref name="istioCoreDnsIp"/>.</summary>
    public static string WithGlobalBlock(string corefile, string istioCoreDnsIp, bool useProxy)
    {
        var lines = SplitKeepingEnds(corefile);
        var block = Block(istioCoreDnsIp, useProxy);
        var existing = FindGlobalBlocks(lines);
        if (existing.Count == 0)
        {
            var text = corefile.Length == 0 || corefile.EndsWith('\n') ? corefile : corefile + "\n";
            return text + block;
        }

        // Replace the first global block (ours or a hand-written one) and drop any further ones.
        var result = new List<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            var hit = existing.FirstOrDefault(b => b.Start == i);
            if (hit is null)
            {
                result.Add(lines[i]);
                continue;
            }

            if (ReferenceEquals(hit, existing[0]))
            {
                result.Add(block);
            }

            i = hit.End;
        }

        return string.Concat(result);
    }

    /// <summary>The Corefile without the block MeshPortal wrote (unmarked global blocks are left alone).</summary>
    public static string WithoutGlobalBlock(string corefile)
    {
        var lines = SplitKeepingEnds(corefile);
        var ours = FindGlobalBlocks(lines).Where(b => b.Managed).ToList();
        if (ours.Count == 0)
        {
            return corefile;
        }

        var result = new List<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            var hit = ours.FirstOrDefault(b => b.Start == i);
            if (hit is null)
            {
                result.Add(lines[i]);
            }
            else
            {
                i = hit.End;
            }
        }

        return string.Concat(result);
    }

    /// <summary>True when the Corefile has a block MeshPortal wrote.</summary>
    public static bool HasManagedBlock(string? corefile) =>
        corefile is not null && FindGlobalBlocks(SplitKeepingEnds(corefile)).Any(b => b.Managed);

    private sealed record BlockSpan(int Start, int End, bool Managed);

    private static List<BlockSpan> FindGlobalBlocks(List<string> lines)
    {
        var blocks = new List<BlockSpan>();
        var depth = 0;
        var start = -1;
        var isGlobal = false;
        var managed = false;
        for (var i = 0; i < lines.Count; i++)
        {
            var raw = lines[i];
            if (raw.Contains(Marker, StringComparison.Ordinal))
            {
                managed = true;
            }

            var code = StripComment(raw);
            foreach (var ch in code)
            {
                if (ch == '{')
                {
                    if (depth == 0)
                    {
                        start = i;
                        managed = raw.Contains(Marker, StringComparison.Ordinal);
                        isGlobal = code[..code.IndexOf('{', StringComparison.Ordinal)]
                            .Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries)
                            .Any(z => NormalizeZone(z) == "global");
                    }

                    depth++;
                }
                else if (ch == '}' && depth > 0)
                {
                    depth--;
                    if (depth == 0 && isGlobal)
                    {
                        blocks.Add(new BlockSpan(start, i, managed));
                    }
                }
            }
        }

        return blocks;
    }

    private static string StripComment(string line)
    {
        var hash = line.IndexOf('#', StringComparison.Ordinal);
        return hash >= 0 ? line[..hash] : line;
    }

    private static string NormalizeZone(string zone)
    {
        var z = zone.Trim().ToLowerInvariant();
        if (z.StartsWith("dns://", StringComparison.Ordinal))
        {
            z = z["dns://".Length..];
        }

        var colon = z.LastIndexOf(':');
        if (colon > 0)
        {
            z = z[..colon];
        }

        return z.Length > 1 ? z.TrimEnd('.') : z;
    }

    private static List<string> SplitKeepingEnds(string text)
    {
        var lines = new List<string>();
        var from = 0;
        while (from < text.Length)
        {
            var nl = text.IndexOf('\n', from);
            var to = nl < 0 ? text.Length : nl + 1;
            lines.Add(text[from..to]);
            from = to;
        }

        return lines;
    }
}
