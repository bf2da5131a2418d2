using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MeshPortal.Core.Features.Trust;

/// <summary>A validated root, ready to store: certificate, key (null for external), key type and mode.</summary>
public sealed record ValidatedRoot(X509Certificate2 Certificate, AsymmetricAlgorithm? Key, string KeyType, RootMode Mode);

/// <summary>Checks a <see cref="CreateRootRequest"/> and builds the root it describes (generating the key when asked).</summary>
public static class RootRequestValidator
{
    public const int MaxNameLength = 64;

    public static (CaValidation Result, ValidatedRoot? Root) Validate(CreateRootRequest request, DateTimeOffset now, int validityDays)
    {
        switch (request.Mode?.Trim().ToLowerInvariant())
        {
            case CreateRootRequest.Generate:
                return Generate(request, now, validityDays);
            case CreateRootRequest.Import:
                var (imported, root) = RootImportValidator.Validate(request.CertificatePem, request.PrivateKeyPem, now);
                return (imported, root is null ? null : new ValidatedRoot(root.Certificate, root.Key, root.KeyType, RootMode.Imported));
            case CreateRootRequest.External:
                var result = new CaValidation();
                var certificate = RootCertificateRules.Check(request.CertificatePem, now, result);
                return result.IsValid && certificate is not null
                    ? (result, new ValidatedRoot(certificate, null, CaKeyType.Of(certificate)!, RootMode.External))
                    : (result, null);
            default:
                return (CaValidation.Of("mode", "Choose a mode: \"generate\", \"import\" or \"external\"."), null);
        }
    }

    private static (CaValidation, ValidatedRoot?) Generate(CreateRootRequest request, DateTimeOffset now, int validityDays)
    {
        var result = new CaValidation();
        var keyType = string.IsNullOrWhiteSpace(request.KeyType) ? CaKeyType.Rsa4096 : request.KeyType.Trim();
        if (!CaKeyType.Generatable.Contains(keyType))
        {
            result.Add("keyType", $"Unknown key type \"{keyType}\": choose {string.Join(" or ", CaKeyType.Generatable)}.");
        }

        var organization = Name(request.Organization, CaCertificates.DefaultRootOrganization, "organization", result);
        var commonName = Name(request.CommonName, CaCertificates.DefaultRootCommonName, "commonName", result);
        if (!result.IsValid)
        {
            return (result, null);
        }

        var key = CaKeyType.Generate(keyType);
        var certificate = CaCertificates.CreateRoot(key, CaCertificates.RootSubject(organization, commonName), now.AddMinutes(-5), now.AddDays(validityDays));
        return (result, new ValidatedRoot(certificate, key, keyType, RootMode.Generated));
    }

    private static string Name(string? value, string fallback, string field, CaValidation result)
    {
        var name = string.IsNullOrWhiteSpace(value) ? fallback : value.Trim();
        if (name.Length > MaxNameLength)
        {
            result.Add(field, $"At most {MaxNameLength} characters (X.509 upper bound).");
        }
        else if (name.Any(char.IsControl))
        {
            result.Add(field, "Control characters are not allowed.");
        }

        return name;
    }
}
