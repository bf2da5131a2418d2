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
    private readonly AsymmetricAlgorithm _rootKey;
    private readonly X509Certificate2 _root;

    /// <summary>A root given by the caller (PEM certificate and key), used as it is.</summary>
    public InstallCa(string certificatePem, string keyPem)
    {
        try
        {
            using var withKey = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            _root = X509CertificateLoader.LoadCertificate(withKey.RawData);
            _rootKey = (AsymmetricAlgorithm?)withKey.GetECDsaPrivateKey() ?? withKey.GetRSAPrivateKey()
                ?? throw new ArgumentException("the install root's key is neither EC nor RSA");
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"InstallRootCertificatePem/InstallRootKeyPem cannot be used: {e.Message}", e);
        }

        if (_root.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault()?.CertificateAuthority != true)
        {
            throw new ArgumentException("InstallRootCertificatePem is not a CA certificate (basicConstraints CA:true is required).");
        }
    }

    public InstallCa()
    {
        var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _rootKey = rootKey;
        var request = new CertificateRequest("O=Istio, CN=Root CA", rootKey, HashAlgorithmName.SHA256);
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
        var signer = _rootKey is RSA rsa ? X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1) : X509SignatureGenerator.CreateForECDsa((ECDsa)_rootKey);
        var notBefore = Since.AddDays(1) > new DateTimeOffset(_root.NotBefore.ToUniversalTime()) ? Since.AddDays(1) : new DateTimeOffset(_root.NotBefore.ToUniversalTime());
        var notAfter = DateTimeOffset.UtcNow.AddYears(5) < new DateTimeOffset(_root.NotAfter.ToUniversalTime()) ? DateTimeOffset.UtcNow.AddYears(5) : new DateTimeOffset(_root.NotAfter.ToUniversalTime());
        using var issued = request.Create(_root.SubjectName, signer, notBefore, notAfter, serial);
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
