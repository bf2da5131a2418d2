using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MeshPortal.Simulator.Hosting;

/// <summary>
/// A cluster's own serving CA (ECDSA P-256, self-signed) and the API server certificate it issues
/// (SAN IP 127.0.0.1 and DNS localhost, kubernetes, kubernetes.default.svc).
/// </summary>
internal sealed class ClusterCertificates : IDisposable
{
    private ClusterCertificates(X509Certificate2 ca, X509Certificate2 serving)
    {
        CaCertificate = ca;
        ServingCertificate = serving;
        CaCertificatePem = ca.ExportCertificatePem() + "\n";
    }

    public X509Certificate2 CaCertificate { get; }

    /// <summary>The serving certificate with its private key, for Kestrel.</summary>
    public X509Certificate2 ServingCertificate { get; }

    public string CaCertificatePem { get; }

    public static ClusterCertificates Create(string clusterName)
    {
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={clusterName}-ca, O=MeshPortal Simulator", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var caWithKey = caRequest.CreateSelfSigned(notBefore, notBefore.AddYears(10));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=kube-apiserver, O=MeshPortal Simulator", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        san.AddDnsName("kubernetes");
        san.AddDnsName("kubernetes.default.svc");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(caWithKey, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(caWithKey, notBefore, notBefore.AddYears(2), serial);
        using var withKey = issued.CopyWithPrivateKey(key);

        // Round-trip through PKCS#12 so the key is usable by SslStream on every platform; one PBE iteration, since the bytes never
        // leave memory (the default 2000-iteration export and load cost ~100 ms per cluster, most of the mesh's start-up time).
        var pbe = new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1);
        var serving = X509CertificateLoader.LoadPkcs12(withKey.ExportPkcs12(pbe, ""), "");
        var ca = X509CertificateLoader.LoadCertificate(caWithKey.RawData);
        return new ClusterCertificates(ca, serving);
    }

    public void Dispose()
    {
        CaCertificate.Dispose();
        ServingCertificate.Dispose();
    }
}
