using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Mesh;

/// <summary>
/// The plugged-in CA of one cluster, parsed from its <c>istio-system/cacerts</c> Secret
/// (<c>ca-cert.pem</c>, <c>ca-key.pem</c>, <c>cert-chain.pem</c>, <c>root-cert.pem</c>).
/// <see cref="Problem"/> is set when istiod would refuse the secret (unparsable, not a CA, key mismatch).
/// </summary>
internal sealed class CaMaterial
{
    private CaMaterial(string key)
    {
        Key = key;
    }

    /// <summary>SHA-256 of the secret's content: the cache key of every verification that uses it.</summary>
    public string Key { get; }

    public X509Certificate2? CaCert { get; private init; }

    public IReadOnlyList<X509Certificate2> Chain { get; private init; } = [];

    public IReadOnlyList<X509Certificate2> Roots { get; private init; } = [];

    public string? Problem { get; private init; }

    public IEnumerable<X509Certificate2> AllCertificates =>
        (CaCert is null ? [] : new[] { CaCert }).Concat(Chain).Concat(Roots);

    public static string ContentKey(JsonObject secret)
    {
        var text = new StringBuilder();
        foreach (var file in new[] { "ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem" })
        {
            text.Append(file).Append('=').Append(File(secret, file)).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// istiod's self-signed CA from <c>istio-ca-secret</c>: <c>ca-cert.pem</c> is its own root (the other files are empty), so the
    /// proxies it signs trust that one root.
    /// </summary>
    public static CaMaterial SelfSigned(JsonObject secret)
    {
        var key = ContentKey(secret);
        try
        {
            var caPem = File(secret, "ca-cert.pem");
            if (string.IsNullOrWhiteSpace(caPem))
            {
                return new CaMaterial(key) { Problem = "istio-ca-secret lacks ca-cert.pem" };
            }

            var caCert = X509Certificate2.CreateFromPem(caPem);
            return new CaMaterial(key) { CaCert = caCert, Roots = [caCert] };
        }
        catch (CryptographicException e)
        {
            return new CaMaterial(key) { Problem = $"istio-ca-secret cannot be used: {e.Message}" };
        }
    }

    /// <summary>Whether the secret has a signing key: istiod uses <c>cacerts</c> only then (<c>detectSigningCABundle</c>).</summary>
    public static bool HasSigningKey(JsonObject secret) => !string.IsNullOrWhiteSpace(File(secret, "ca-key.pem"));

    /// <summary>The subject of the signing certificate, for explanations.</summary>
    public string Describe => CaCert?.Subject ?? "(unusable)";

    public static CaMaterial Parse(JsonObject secret)
    {
        var key = ContentKey(secret);
        try
        {
            var caPem = File(secret, "ca-cert.pem");
            var rootPem = File(secret, "root-cert.pem");
            if (string.IsNullOrWhiteSpace(caPem) || string.IsNullOrWhiteSpace(rootPem))
            {
                return new CaMaterial(key) { Problem = "cacerts lacks ca-cert.pem or root-cert.pem" };
            }

            var caCert = X509Certificate2.CreateFromPem(caPem);
            var keyPem = File(secret, "ca-key.pem");
            if (!string.IsNullOrWhiteSpace(keyPem))
            {
                // Throws when the key does not belong to the certificate ("the cert does not match the key").
                using var withKey = X509Certificate2.CreateFromPem(caPem, keyPem);
            }

            return new CaMaterial(key)
            {
                CaCert = caCert,
                Chain = Certificates(File(secret, "cert-chain.pem")),
                Roots = Certificates(rootPem),
            };
        }
        catch (CryptographicException e)
        {
            return new CaMaterial(key) { Problem = $"cacerts cannot be used: {e.Message}" };
        }
        catch (ArgumentException e)
        {
            return new CaMaterial(key) { Problem = $"cacerts cannot be used: {e.Message}" };
        }
    }

    private static IReadOnlyList<X509Certificate2> Certificates(string pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            return [];
        }

        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        return [.. collection];
    }

    /// <summary>A file of the secret: base64 <c>data</c>, or plain <c>stringData</c> (as written before the API server merges it).</summary>
    private static string File(JsonObject secret, string name)
    {
        if (secret.Str("data", name) is { } b64)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(b64));
            }
            catch (FormatException)
            {
                return "";
            }
        }

        return secret.Str("stringData", name) ?? "";
    }
}
