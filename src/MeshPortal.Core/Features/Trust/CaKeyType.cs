using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MeshPortal.Core.Features.Trust;

/// <summary>Key types of the CAs MeshPortal generates or accepts, with the names stored in the database.</summary>
public static class CaKeyType
{
    public const string Rsa4096 = "Rsa4096";
    public const string EcdsaP256 = "EcdsaP256";
    public const string EcdsaP384 = "EcdsaP384";

    /// <summary>The key types an admin may choose when generating a root.</summary>
    public static readonly IReadOnlyList<string> Generatable = [Rsa4096, EcdsaP256];

    /// <summary>Generates a key pair: RSA with .NET (several times faster than BouncyCastle), ECDSA on the named curve.</summary>
    public static AsymmetricAlgorithm Generate(string keyType) => keyType switch
    {
        Rsa4096 => RSA.Create(4096),
        EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        EcdsaP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        _ => throw new ArgumentException($"Unknown key type '{keyType}'.", nameof(keyType)),
    };

    /// <summary>The key type an intermediate under a root with this key type gets (RSA 4096 like tools/certs, or ECDSA P-256 which Istio 1.6+ signs with).</summary>
    public static string IntermediateFor(string rootKeyType) => rootKeyType.StartsWith("Rsa", StringComparison.Ordinal) ? Rsa4096 : EcdsaP256;

    /// <summary>"Rsa2048", "Rsa4096", "EcdsaP256", "EcdsaP384", or null for anything else.</summary>
    public static string? Of(AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => $"Rsa{rsa.KeySize}",
        ECDsa ec => CurveName(ec) switch
        {
            "P-256" => EcdsaP256,
            "P-384" => EcdsaP384,
            _ => null,
        },
        _ => null,
    };

    /// <summary>The key type of a certificate's public key, or null when unsupported.</summary>
    public static string? Of(X509Certificate2 certificate)
    {
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is not null)
        {
            return Of(rsa);
        }

        using var ec = certificate.GetECDsaPublicKey();
        return ec is null ? null : Of(ec);
    }

    /// <summary>"P-256", "P-384", ... (normalised from the OID or friendly name), or the raw name.</summary>
    public static string CurveName(ECDsa ec)
    {
        var curve = ec.ExportParameters(false).Curve;
        return curve.Oid.Value switch
        {
            "1.2.840.10045.3.1.7" => "P-256",
            "1.3.132.0.34" => "P-384",
            "1.3.132.0.35" => "P-521",
            _ => curve.Oid.FriendlyName switch
            {
                "nistP256" or "ECDSA_P256" or "secp256r1" => "P-256",
                "nistP384" or "ECDSA_P384" or "secp384r1" => "P-384",
                var n => n ?? "unknown curve",
            },
        };
    }

    /// <summary>A person's description: "RSA 4096", "ECDSA P-256".</summary>
    public static string Describe(string keyType) => keyType switch
    {
        EcdsaP256 => "ECDSA P-256",
        EcdsaP384 => "ECDSA P-384",
        _ when keyType.StartsWith("Rsa", StringComparison.Ordinal) => "RSA " + keyType[3..],
        _ => keyType,
    };
}
