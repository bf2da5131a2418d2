using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MeshPortal.Core.Features.Trust;

/// <summary>
/// The checks on a root certificate an admin brings (import or external root): one PEM certificate, a self-signed CA
/// allowed to sign certificates, valid now, with an RSA ≥ 2048 or ECDSA P-256/P-384 key.
/// </summary>
public static class RootCertificateRules
{
    public const string Field = "certificatePem";

    /// <summary>The parsed certificate, or null with errors added to <paramref name="result"/>.</summary>
    public static X509Certificate2? Check(string? certificatePem, DateTimeOffset now, CaValidation result)
    {
        var blocks = PemBlocks.Certificates(certificatePem);
        if (blocks.Count == 0)
        {
            result.Add(Field, "No PEM certificate found: paste the root certificate, starting with -----BEGIN CERTIFICATE-----.");
            return null;
        }

        if (blocks.Count > 1)
        {
            result.Add(Field, $"The text contains {blocks.Count} certificates; paste only the root certificate.");
            return null;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(blocks[0].Text);
        }
        catch (CryptographicException e)
        {
            result.Add(Field, $"The certificate cannot be parsed ({e.Message}).");
            return null;
        }

        CheckCertificate(certificate, now, result);
        return certificate;
    }

    public static void CheckCertificate(X509Certificate2 certificate, DateTimeOffset now, CaValidation result)
    {
        if (!CaCertificates.IsCa(certificate))
        {
            result.Add(Field, "The certificate is not a CA (basicConstraints CA:TRUE is missing); istiod would refuse it with " +
                              "\"certificate is not authorized to sign other certificates\".");
        }

        if (certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } usage
            && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign))
        {
            result.Add(Field, "The certificate's keyUsage does not allow keyCertSign, so it cannot sign intermediate CAs.");
        }

        if (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) is false)
        {
            result.Add(Field, $"The certificate is issued by \"{certificate.Issuer}\", so it is not a root. Import the self-signed root " +
                              "of that chain, or choose \"external root\".");
        }

        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        if (now < notBefore)
        {
            result.Add(Field, $"The certificate is not valid yet: it becomes valid on {notBefore:u}.");
        }
        else if (now > notAfter)
        {
            result.Add(Field, $"The certificate expired on {notAfter:u}.");
        }

        if (KeyProblem(certificate) is { } problem)
        {
            result.Add(Field, problem);
        }
    }

    /// <summary>Why a certificate's key cannot be an Istio CA key (RSA under 2048 bits, EC curve other than P-256/P-384), or null.</summary>
    public static string? KeyProblem(X509Certificate2 certificate)
    {
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is not null)
        {
            return RsaProblem(rsa.KeySize);
        }

        using var ec = certificate.GetECDsaPublicKey();
        return ec is not null ? CurveProblem(CaKeyType.CurveName(ec)) : "The certificate's key is neither RSA nor ECDSA; Istio's CA supports only those.";
    }

    public static string? RsaProblem(int bits) => bits < 2048
        ? $"The RSA key has {bits} bits; istiod requires at least 2048."
        : null;

    public static string? CurveProblem(string curve) => curve is "P-256" or "P-384"
        ? null
        : $"The EC key uses curve {curve}; Istio's CA accepts only P-256 (and P-384 from Istio 1.19).";
}
