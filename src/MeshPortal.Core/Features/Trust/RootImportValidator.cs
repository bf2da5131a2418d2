using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MeshPortal.Core.Features.Trust;

/// <summary>A root certificate with its private key, checked and ready to store.</summary>
public sealed record ImportedRoot(X509Certificate2 Certificate, AsymmetricAlgorithm Key, string KeyType);

/// <summary>
/// Checks an imported root: the certificate rules of <see cref="RootCertificateRules"/>, plus exactly one unencrypted
/// private key that belongs to the certificate. Every problem is reported with the field it concerns.
/// </summary>
public static class RootImportValidator
{
    public const string KeyField = "privateKeyPem";

    public static (CaValidation Result, ImportedRoot? Root) Validate(string? certificatePem, string? privateKeyPem, DateTimeOffset now)
    {
        var result = new CaValidation();
        var certificate = RootCertificateRules.Check(certificatePem, now, result);
        var key = ReadKey(privateKeyPem, result);
        if (certificate is not null && key is not null && !CaCertificates.KeyMatches(certificate, key))
        {
            result.Add(KeyField, "The private key does not belong to the certificate (their public keys differ).");
        }

        if (!result.IsValid || certificate is null || key is null)
        {
            key?.Dispose();
            return (result, null);
        }

        return (result, new ImportedRoot(certificate, key, CaKeyType.Of(key)!));
    }

    /// <summary>The single private key of the text, or null with an error.</summary>
    public static AsymmetricAlgorithm? ReadKey(string? privateKeyPem, CaValidation result)
    {
        var keys = PemBlocks.PrivateKeys(privateKeyPem);
        if (keys.Count == 0)
        {
            result.Add(KeyField, "No PEM private key found: paste the key, starting with -----BEGIN PRIVATE KEY----- (or RSA/EC PRIVATE KEY).");
            return null;
        }

        if (keys.Count > 1)
        {
            result.Add(KeyField, $"The text contains {keys.Count} private keys; paste exactly one, the root's.");
            return null;
        }

        var block = keys[0];
        switch (block.Label)
        {
            case "ENCRYPTED PRIVATE KEY":
                result.Add(KeyField, "The private key is encrypted. Decrypt it first (openssl pkcs8 -in key.pem -out plain.pem); MeshPortal encrypts it at rest itself.");
                return null;
            case "DSA PRIVATE KEY" or "OPENSSH PRIVATE KEY":
                result.Add(KeyField, $"A {block.Label} is not supported; Istio's CA needs an RSA or ECDSA key in PEM (PKCS#8, PKCS#1 or SEC1).");
                return null;
        }

        AsymmetricAlgorithm key;
        try
        {
            key = CaCertificates.ImportPrivateKeyPem(block.Text);
        }
        catch (CryptographicException e)
        {
            result.Add(KeyField, $"The private key cannot be read as an RSA or ECDSA key ({e.Message}).");
            return null;
        }

        var problem = key switch
        {
            RSA rsa => RootCertificateRules.RsaProblem(rsa.KeySize),
            ECDsa ec => RootCertificateRules.CurveProblem(CaKeyType.CurveName(ec)),
            _ => "Only RSA and ECDSA keys are supported.",
        };
        if (problem is not null)
        {
            result.Add(KeyField, problem);
            key.Dispose();
            return null;
        }

        return key;
    }
}
