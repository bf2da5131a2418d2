using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MeshPortal.Core.Features.Trust;

/// <summary>
/// Builds the mesh's CA certificates with .NET's <see cref="CertificateRequest"/>: the root (like Istio's tools/certs
/// root-ca.conf) and the per-cluster intermediates (intermediate.conf: O=Istio, CN=Intermediate CA, L=&lt;cluster&gt;,
/// basicConstraints critical CA:true pathlen:0, keyUsage critical, SAN DNS:istiod.istio-system.svc, SKI/AKI).
/// </summary>
public static class CaCertificates
{
    public const string IstiodSan = "istiod.istio-system.svc";
    public const string IntermediateOrganization = "Istio";
    public const string IntermediateCommonName = "Intermediate CA";
    public const string DefaultRootOrganization = "Istio";
    public const string DefaultRootCommonName = "Root CA";

    private const X509KeyUsageFlags CaUsage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature;

    public static X500DistinguishedName RootSubject(string organization, string commonName)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddOrganizationName(organization);
        builder.AddCommonName(commonName);
        return builder.Build();
    }

    public static X500DistinguishedName IntermediateSubject(string clusterName)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddOrganizationName(IntermediateOrganization);
        builder.AddCommonName(IntermediateCommonName);
        builder.AddLocalityName(clusterName);
        return builder.Build();
    }

    /// <summary>A self-signed root: basicConstraints critical CA:true, keyUsage critical keyCertSign|cRLSign|digitalSignature, SKI.</summary>
    public static X509Certificate2 CreateRoot(AsymmetricAlgorithm key, X500DistinguishedName subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = Request(subject, key, HashFor(key));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(CaUsage, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.Create(subject, Signer(key), notBefore, notAfter, NewSerial());
    }

    /// <summary>A cluster's intermediate CA signed by <paramref name="root"/> with <paramref name="rootKey"/>.</summary>
    public static X509Certificate2 CreateIntermediate(
        AsymmetricAlgorithm key, string clusterName, X509Certificate2 root, AsymmetricAlgorithm rootKey, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = IntermediateRequest(key, clusterName, HashFor(rootKey));
        var rootSki = root.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()
            ?? new X509SubjectKeyIdentifierExtension(root.PublicKey, false);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(rootSki));
        return request.Create(root.SubjectName, Signer(rootKey), notBefore, notAfter, NewSerial());
    }

    /// <summary>A CSR (PEM) for a cluster's intermediate, carrying the extensions the signing CA should copy.</summary>
    public static string CreateSigningRequestPem(AsymmetricAlgorithm key, string clusterName) =>
        IntermediateRequest(key, clusterName, HashFor(key)).CreateSigningRequestPem();

    public static string ExportPrivateKeyPem(AsymmetricAlgorithm key) => key.ExportPkcs8PrivateKeyPem();

    /// <summary>Uppercase hex SHA-256 of the DER certificate.</summary>
    public static string Fingerprint(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>"AB:CD:..." for display.</summary>
    public static string FormatFingerprint(string hex) =>
        string.Join(':', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2)));

    /// <summary>Loads a private key PEM (PKCS#8, PKCS#1 or SEC1) written by <see cref="ExportPrivateKeyPem"/> or accepted on import.</summary>
    public static AsymmetricAlgorithm ImportPrivateKeyPem(string pem)
    {
        if (pem.Contains("RSA PRIVATE KEY", StringComparison.Ordinal))
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return rsa;
        }

        if (pem.Contains("EC PRIVATE KEY", StringComparison.Ordinal))
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            return ec;
        }

        var candidate = RSA.Create();
        try
        {
            candidate.ImportFromPem(pem);
            return candidate;
        }
        catch (CryptographicException)
        {
            candidate.Dispose();
        }

        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
            return ecdsa;
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }

    /// <summary>True when <paramref name="key"/> is the private key of <paramref name="certificate"/>'s public key.</summary>
    public static bool KeyMatches(X509Certificate2 certificate, AsymmetricAlgorithm key) =>
        certificate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo());

    public static bool IsCa(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault()?.CertificateAuthority == true;

    /// <summary>Verifies <paramref name="certificate"/> against <paramref name="roots"/> only (custom root trust, no revocation). Null when it chains.</summary>
    public static string? ChainProblem(X509Certificate2 certificate, IEnumerable<X509Certificate2> roots, DateTimeOffset at)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots.ToArray());
        if (chain.Build(certificate))
        {
            return null;
        }

        return string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
    }

    private static CertificateRequest IntermediateRequest(AsymmetricAlgorithm key, string clusterName, HashAlgorithmName hash)
    {
        var request = Request(IntermediateSubject(clusterName), key, hash);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(CaUsage, true));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(IstiodSan);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static CertificateRequest Request(X500DistinguishedName subject, AsymmetricAlgorithm key, HashAlgorithmName hash) => key switch
    {
        RSA rsa => new CertificateRequest(subject, rsa, hash, RSASignaturePadding.Pkcs1),
        ECDsa ec => new CertificateRequest(subject, ec, hash),
        _ => throw new ArgumentException("Only RSA and ECDSA keys are supported.", nameof(key)),
    };

    private static HashAlgorithmName HashFor(AsymmetricAlgorithm key) =>
        key is ECDsa { KeySize: >= 384 } ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;

    private static X509SignatureGenerator Signer(AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        ECDsa ec => X509SignatureGenerator.CreateForECDsa(ec),
        _ => throw new ArgumentException("Only RSA and ECDSA keys are supported.", nameof(key)),
    };

    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        return serial;
    }
}
