using System.Security.Cryptography;

namespace MeshPortal.Core.Features.Trust;

/// <summary>One PEM block: its label and its full text (BEGIN to END line).</summary>
public sealed record PemBlock(string Label, string Text);

/// <summary>Splits pasted PEM text into its blocks, so that "exactly one key" and similar rules can be checked.</summary>
public static class PemBlocks
{
    public static readonly IReadOnlySet<string> PrivateKeyLabels = new HashSet<string>(StringComparer.Ordinal)
    {
        "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY",
    };

    public static IReadOnlyList<PemBlock> Find(string? text)
    {
        var blocks = new List<PemBlock>();
        if (string.IsNullOrEmpty(text))
        {
            return blocks;
        }

        // Blocks pasted back to back ("-----END X----------BEGIN Y-----") are still separate blocks.
        var rest = text.Replace("-----BEGIN ", "\n-----BEGIN ", StringComparison.Ordinal).AsMemory();
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            var label = rest.Span[fields.Label].ToString();
            blocks.Add(new PemBlock(label, rest.Span[fields.Location].ToString()));
            rest = rest[fields.Location.End..];
        }

        return blocks;
    }

    public static IReadOnlyList<PemBlock> Certificates(string? text) => Find(text).Where(b => b.Label == "CERTIFICATE").ToList();

    public static IReadOnlyList<PemBlock> PrivateKeys(string? text) => Find(text).Where(b => PrivateKeyLabels.Contains(b.Label)).ToList();
}
