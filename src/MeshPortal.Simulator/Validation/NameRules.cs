using System.Text.RegularExpressions;
using MeshPortal.Simulator.Api;

namespace MeshPortal.Simulator.Validation;

/// <summary>Kubernetes name rules (apimachinery validation), with the API server's wording.</summary>
internal static partial class NameRules
{
    public const string LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    public const string Dns1035Message =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    public const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    public static bool IsDns1123Label(string s) => s.Length <= 63 && Label().IsMatch(s);

    public static bool IsDns1035Label(string s) => s.Length <= 63 && Dns1035().IsMatch(s);

    public static bool IsDns1123Subdomain(string s) => s.Length <= 253 && Subdomain().IsMatch(s);

    /// <summary>Errors for an object name: label rules for namespaces, DNS-1035 for services, subdomain otherwise.</summary>
    public static IEnumerable<FieldError> CheckObjectName(string field, string name, string plural)
    {
        if (name.Length == 0)
        {
            yield return FieldError.Required(field, "name or generateName is required");
            yield break;
        }

        var (ok, max, message) = plural switch
        {
            "namespaces" => (Label().IsMatch(name), 63, LabelMessage),
            "services" => (Dns1035().IsMatch(name), 63, Dns1035Message),
            _ => (Subdomain().IsMatch(name), 253, SubdomainMessage),
        };
        if (name.Length > max)
        {
            yield return FieldError.Invalid(field, name, $"must be no more than {max} characters");
        }

        if (!ok)
        {
            yield return FieldError.Invalid(field, name, message);
        }
    }

    /// <summary>Label key (qualified name) and value rules.</summary>
    public static IEnumerable<FieldError> CheckLabels(string field, IEnumerable<KeyValuePair<string, string?>> labels, bool valuesToo)
    {
        foreach (var (key, value) in labels)
        {
            var slash = key.LastIndexOf('/');
            var prefix = slash >= 0 ? key[..slash] : null;
            var name = slash >= 0 ? key[(slash + 1)..] : key;
            if ((prefix is not null && !IsDns1123Subdomain(prefix)) || name.Length is 0 or > 63 || !QualifiedName().IsMatch(name))
            {
                yield return FieldError.Invalid(field, key,
                    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
            }

            if (valuesToo && value is not null && (value.Length > 63 || (value.Length > 0 && !QualifiedName().IsMatch(value))))
            {
                yield return FieldError.Invalid($"{field}", value,
                    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
            }
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedName();
}
