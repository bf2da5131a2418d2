namespace MeshPortal.Simulator.Api;

/// <summary>One served resource (like a row of an APIResourceList), with every version this simulator knows.</summary>
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

    /// <summary>Key of the storage bucket: "group/plural" ("/pods" for core).</summary>
    public string StorageKey => $"{Group}/{Plural}";

    /// <summary>"serviceentries.networking.istio.io" or "pods", as used in error messages.</summary>
    public string QualifiedPlural => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string ApiVersion(string version) => Group.Length == 0 ? version : $"{Group}/{version}";

    public IReadOnlyList<string> Categories => Group == IstioGroup ? ["istio-io", "networking-istio-io"] : Plural == "pods" ||
        Plural == "services" || Plural == "deployments" ? ["all"] : [];

    public const string IstioGroup = "networking.istio.io";
}
