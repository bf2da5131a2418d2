using System.Text;
using System.Text.Json.Nodes;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Trust;

/// <summary>
/// The four files of a cluster's <c>istio-system/cacerts</c>: its intermediate (<c>ca-cert.pem</c>) and key, the trust
/// bundle (<c>root-cert.pem</c>: the active root, plus the next one during a rotation) and <c>cert-chain.pem</c>
/// (intermediate, then the root that signed it). <see cref="ToString"/> never shows the key.
/// </summary>
public sealed record CacertsFiles(string CaCertPem, string CaKeyPem, string RootCertPem, string CertChainPem)
{
    public const string Namespace = "istio-system";
    public const string SecretName = "cacerts";

    public static readonly ObjectRef SecretRef = new("", "v1", "secrets", "Secret", Namespace, SecretName);
    public static readonly ObjectRef NamespaceRef = new("", "v1", "namespaces", "Namespace", null, Namespace);

    /// <summary>Builds the files from PEM texts: chain = intermediate + signing root; bundle = every trusted root.</summary>
    public static CacertsFiles Build(string intermediatePem, string keyPem, string signingRootPem, IEnumerable<string> trustedRootPems) =>
        new(Normalize(intermediatePem), Normalize(keyPem), string.Concat(trustedRootPems.Select(Normalize).Distinct()),
            Normalize(intermediatePem) + Normalize(signingRootPem));

    /// <summary>The Secret manifest (type Opaque, base64 <c>data</c>, managed-by label).</summary>
    public JsonObject ToSecret() => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject
        {
            ["name"] = SecretName,
            ["namespace"] = Namespace,
            ["labels"] = new JsonObject { [ManagedLabels.ManagedBy] = ManagedLabels.ManagedByValue },
        },
        ["type"] = "Opaque",
        ["data"] = new JsonObject
        {
            ["ca-cert.pem"] = B64(CaCertPem),
            ["ca-key.pem"] = B64(CaKeyPem),
            ["root-cert.pem"] = B64(RootCertPem),
            ["cert-chain.pem"] = B64(CertChainPem),
        },
    };

    public static JsonObject NamespaceObject() => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject { ["name"] = Namespace },
    };

    public override string ToString() => $"CacertsFiles {{ ca-cert.pem: {CaCertPem.Length} chars, ca-key.pem: (hidden) }}";

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Normalize(string pem)
    {
        var trimmed = pem.Replace("\r\n", "\n").Trim();
        return trimmed.Length == 0 ? "" : trimmed + "\n";
    }
}
