using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Seed;

/// <summary>
/// The plug-in CA of the docs' "before you install" step (<c>tools/certs</c> Makefile: one root, an intermediate per cluster), for
/// clusters installed with <see cref="SimulatedClusterOptions.CacertsAtInstall"/>. ECDSA P-256 (the docs' default is RSA 4096; the
/// simulator trades that for start-up speed, and every trust rule checks real signatures either way). Valid from 2019 (an install
/// made long ago), so clocks pinned to the seed article's date (May 2020) verify them too.
/// </summary>
internal sealed class InstallCa : IDisposable
{
    private static readonly DateTimeOffset Since = new(2019, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ECDsa _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _root;

    public InstallCa()
    {
        var request = new CertificateRequest("O=Istio, CN=Root CA", _rootKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _root = request.CreateSelfSigned(Since, DateTimeOffset.UtcNow.AddYears(10));
    }

    /// <summary>The <c>cacerts</c> Secret of one cluster, as <c>kubectl create secret generic cacerts --from-file=...</c> makes it.</summary>
    public JsonObject CacertsFor(string cluster)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"O=Istio, CN=Intermediate CA, L={cluster}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_root, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        using var issued = request.Create(_root.SubjectName, X509SignatureGenerator.CreateForECDsa(_rootKey), Since.AddDays(1), DateTimeOffset.UtcNow.AddYears(5), serial);
        var certPem = issued.ExportCertificatePem() + "\n";
        var rootPem = _root.ExportCertificatePem() + "\n";
        static string B64(string s) => Convert.ToBase64String(Encoding.ASCII.GetBytes(s));
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "cacerts", ["namespace"] = "istio-system" },
            ["type"] = "Opaque",
            ["data"] = new JsonObject
            {
                ["ca-cert.pem"] = B64(certPem),
                ["ca-key.pem"] = B64(key.ExportPkcs8PrivateKeyPem() + "\n"),
                ["cert-chain.pem"] = B64(certPem + rootPem),
                ["root-cert.pem"] = B64(rootPem),
            },
        };
    }

    public void Dispose()
    {
        _root.Dispose();
        _rootKey.Dispose();
    }
}
