using System.Text.RegularExpressions;

namespace MeshPortal.Core.Features.Probes;

/// <summary>A container image reference as Kubernetes takes it: <c>[registry[:port]/]path[:tag][@digest]</c>. Pure.</summary>
public static partial class ImageReference
{
    public static bool IsValid(string? image) => image is { Length: > 0 and <= 512 } && Pattern().IsMatch(image);

    [GeneratedRegex(@"^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
