namespace MeshPortal.Simulator.Api;

/// <summary>
/// One served resource (like a row of an APIResourceList). <see cref="Versions"/> are the versions this cluster
/// serves, oldest first (so <c>Versions[^1]</c> is the newest).
/// </summary>
internal sealed record ResourceType(
    string Group,
    IReadOnlyList<string> Versions,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    bool NameIsLabel = false)
{
    public static readonly IReadOnlyList<string> AllVerbs =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update"];

    public const string IstioGroup = "networking.istio.io";

    public const string SecurityGroup = "security.istio.io";

    public const string McsGroup = "multicluster.x-k8s.io";

    /// <summary>Key of the storage bucket: "group/plural" ("/pods" for core).</summary>
    public string StorageKey => $"{Group}/{Plural}";

    /// <summary>"serviceentries.networking.istio.io" or "pods", as used in error messages.</summary>
    public string QualifiedPlural => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string ApiVersion(string version) => Group.Length == 0 ? version : $"{Group}/{version}";

    /// <summary>A CustomResourceDefinition's resource (Istio's and the MCS API's), as opposed to a built-in one.</summary>
    public bool IsCustom => Group is IstioGroup or SecurityGroup or McsGroup;

    /// <summary>The CRD's <c>names.categories</c> (Istio's CRDs at every tag), or "all" for the built-ins kubectl lists.</summary>
    public IReadOnlyList<string> Categories => Group switch
    {
        IstioGroup => ["istio-io", "networking-istio-io"],
        SecurityGroup => ["istio-io", "security-istio-io"],
        "" or "apps" when Plural is "pods" or "services" or "deployments" => ["all"],
        _ => [],
    };

    /// <summary>Whether a <c>/status</c> subresource is served: every Istio and MCS CRD declares one; of the built-ins not these.</summary>
    public bool HasStatus => Kind is not ("ConfigMap" or "Secret" or "ServiceAccount");
}
