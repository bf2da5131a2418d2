using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MeshPortal.Core.Features.Trust;

/// <summary>
/// External root: checks the certificate the company CA signed for a cluster's CSR. It must be a CA certificate for
/// the key MeshPortal generated, valid now, and chain to the uploaded root.
/// </summary>
public static class SignedIntermediateValidator
{
    public const string Field = "certificatePem";

    public static (CaValidation Result, X509Certificate2? Certificate) Validate(
        string? certificatePem, X509Certificate2 root, AsymmetricAlgorithm key, DateTimeOffset now)
    {
        var result = new CaValidation();
        var blocks = PemBlocks.Certificates(certificatePem);
        if (blocks.Count != 1)
        {
            result.Add(Field, blocks.Count == 0
                ? "No PEM certificate found: paste the signed certificate, starting with -----BEGIN CERTIFICATE-----."
                : $"The text contains {blocks.Count} certificates; paste only the signed intermediate.");
            return (result, null);
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(blocks[0].Text);
        }
        catch (CryptographicException e)
        {
            return (result.Add(Field, $"The certificate cannot be parsed ({e.Message})."), null);
        }

        if (!CaCertificates.KeyMatches(certificate, key))
        {
            result.Add(Field, "The certificate is not for this cluster's key: sign the CSR downloaded for this cluster.");
        }

        if (!CaCertificates.IsCa(certificate))
        {
            result.Add(Field, "The certificate is not a CA (basicConstraints CA:TRUE is missing); istiod cannot sign workload certificates with it.");
        }

        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        if (now < notBefore || now > notAfter)
        {
            result.Add(Field, $"The certificate is not valid now (valid {notBefore:u} to {notAfter:u}).");
        }
        else if (CaCertificates.ChainProblem(certificate, [root], now) is { } problem)
        {
            result.Add(Field, $"The certificate does not chain to the mesh root \"{root.Subject}\" ({problem}).");
        }

        return result.IsValid ? (result, certificate) : (result, null);
    }
}
