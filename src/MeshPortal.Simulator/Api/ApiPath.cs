namespace MeshPortal.Simulator.Api;

/// <summary>
/// A parsed resource path: <c>/api/v1/[namespaces/{ns}/]{plural}[/{name}[/{subresource}]]</c> or the same under
/// <c>/apis/{group}/{version}</c>.
/// </summary>
internal sealed record ApiPath(string Group, string Version, ResourceType Type, string? Namespace, string? Name, string? Subresource)
{
    /// <summary>Parses the segments after the group/version prefix; null when no served resource matches.</summary>
    public static ApiPath? Parse(ResourceCatalog catalog, string group, string version, string[] rest)
    {
        if (rest.Length >= 3 && rest[0] == "namespaces" && catalog.Find(group, version, rest[2]) is { Namespaced: true } nsType)
        {
            return rest.Length switch
            {
                3 => new ApiPath(group, version, nsType, rest[1], null, null),
                4 => new ApiPath(group, version, nsType, rest[1], rest[3], null),
                5 => new ApiPath(group, version, nsType, rest[1], rest[3], rest[4]),
                _ => null,
            };
        }

        if (rest.Length is < 1 or > 3 || catalog.Find(group, version, rest[0]) is not { } type)
        {
            return null;
        }

        if (type.Namespaced && rest.Length > 1)
        {
            return null;
        }

        return new ApiPath(group, version, type, null, rest.Length > 1 ? rest[1] : null, rest.Length > 2 ? rest[2] : null);
    }
}
