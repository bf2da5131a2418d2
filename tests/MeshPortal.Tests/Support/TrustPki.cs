using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MeshPortal.Core.Features.Trust;

namespace MeshPortal.Tests.Support;

/// <summary>Test PKI built with the production code: P-256 everywhere (RSA-4096 generation stays out of unit tests).</summary>
internal static class TrustPki
{
    public static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static readonly Lazy<(X509Certificate2 Cert, ECDsa Key)> RootLazy = new(() => NewRoot("Root CA"));
    private static readonly Lazy<(X509Certificate2 Cert, ECDsa Key)> OtherLazy = new(() => NewRoot("Other Root CA"));
    private static readonly Lazy<RSA> Rsa2048Lazy = new(() => RSA.Create(2048));

    public static X509Certificate2 Root => RootLazy.Value.Cert;
    public static ECDsa RootKey => RootLazy.Value.Key;
    public static X509Certificate2 OtherRoot => OtherLazy.Value.Cert;
    public static ECDsa OtherRootKey => OtherLazy.Value.Key;

    /// <summary>One cached RSA-2048 key (fast enough) for the RSA paths.</summary>
    public static RSA Rsa2048 => Rsa2048Lazy.Value;

    public static (X509Certificate2 Cert, ECDsa Key) NewRoot(string cn, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var cert = CaCertificates.CreateRoot(key, CaCertificates.RootSubject("Istio", cn), notBefore ?? Now.AddMinutes(-5), notAfter ?? Now.AddYears(10));
        return (cert, key);
    }

    public static (X509Certificate2 Cert, ECDsa Key) Intermediate(string cluster, X509Certificate2? root = null, AsymmetricAlgorithm? rootKey = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var cert = CaCertificates.CreateIntermediate(key, cluster, root ?? Root, rootKey ?? RootKey, Now.AddMinutes(-5), Now.AddYears(2));
        return (cert, key);
    }

    /// <summary>A certificate that is not a CA (a leaf).</summary>
    public static (X509Certificate2 Cert, ECDsa Key) Leaf()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=leaf", key, HashAlgorithmName.SHA256);
        return (request.CreateSelfSigned(Now.AddMinutes(-5), Now.AddYears(1)), key);
    }
}
