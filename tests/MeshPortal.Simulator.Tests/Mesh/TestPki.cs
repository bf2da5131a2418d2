using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Tests.Mesh;

/// <summary>Real ECDSA P-256 roots and intermediates, made with CertificateRequest, for cacerts secrets.</summary>
internal static class TestPki
{
    public sealed record Ca(X509Certificate2 Cert, ECDsa Key)
    {
        public string CertPem => Cert.ExportCertificatePem() + "\n";

        public string KeyPem => Key.ExportECPrivateKeyPem() + "\n";
    }

    /// <summary>Valid since 2019, so that tests pinned to the seed's date (May 2020) still verify.</summary>
    public static readonly DateTimeOffset LongAgo = new(2019, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<Ca> SharedRootLazy = new(() => Root("Root CA"));
    private static readonly Lazy<Ca> OtherRootLazy = new(() => Root("Other Root CA"));

    public static Ca SharedRoot => SharedRootLazy.Value;

    public static Ca OtherRoot => OtherRootLazy.Value;

    public static Ca Root(string cn, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"O=Istio, CN={cn}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var cert = request.CreateSelfSigned(notBefore ?? LongAgo, notAfter ?? DateTimeOffset.UtcNow.AddYears(10));
        return new Ca(cert, key);
    }

    public static Ca Intermediate(Ca root, string cluster, bool isCa = true, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"O=Istio, CN=Intermediate CA, L={cluster}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCa, isCa, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root.Cert, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        var cert = request.Create(root.Cert, notBefore ?? LongAgo.AddDays(1), notAfter ?? DateTimeOffset.UtcNow.AddYears(5), serial);
        return new Ca(cert, key);
    }

    /// <summary>An <c>istio-system/cacerts</c> Secret as <c>kubectl create secret generic</c> stores it.</summary>
    public static JsonObject CacertsSecret(Ca intermediate, params Ca[] roots)
    {
        var rootPem = string.Concat(roots.Select(r => r.CertPem));
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "cacerts", ["namespace"] = "istio-system", ["resourceVersion"] = "1" },
            ["type"] = "Opaque",
            ["data"] = new JsonObject
            {
                ["ca-cert.pem"] = B64(intermediate.CertPem),
                ["ca-key.pem"] = B64(intermediate.KeyPem),
                ["cert-chain.pem"] = B64(intermediate.CertPem + roots[0].CertPem),
                ["root-cert.pem"] = B64(rootPem),
            },
        };
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
