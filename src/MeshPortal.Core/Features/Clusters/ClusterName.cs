using System.Text.RegularExpressions;

namespace MeshPortal.Core.Features.Clusters;

/// <summary>Cluster names are DNS-1123 labels: they end up in hostnames, resource names and URLs.</summary>
public static class ClusterName
{
    public const int MaxLength = 63;

    /// <summary>Null when valid, else a message a person can act on.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return "A cluster name is required.";
        if (name.Length > MaxLength)
            return $"The cluster name is {name.Length} characters long; at most {MaxLength} are allowed.";
        if (!DnsLabel.IsValid(name))
            return $"'{name}' is not a valid cluster name: use lowercase letters, digits and '-', starting and ending with a letter or digit (e.g. cluster-1).";
        return null;
    }

}

/// <summary>The DNS-1123 label rule for namespace, service and cluster names typed by a person.</summary>
public static partial class DnsLabel
{
    /// <summary>Null when valid, else a message a person can act on.</summary>
    public static string? Validate(string? value, string what)
    {
        if (string.IsNullOrEmpty(value))
            return $"A {what} name is required.";
        if (value.Length > 63)
            return $"The {what} name is {value.Length} characters long; at most 63 are allowed.";
        if (!IsValid(value))
            return $"'{value}' is not a valid {what} name: use lowercase letters, digits and '-', starting and ending with a letter or digit.";
        return null;
    }

    public static bool IsValid(string value) => Dns1123Label().IsMatch(value);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Label();
}

/// <summary>Kubernetes label value rules, used for the optional network and region labels.</summary>
public static partial class LabelValue
{
    public const int MaxLength = 63;

    /// <summary>Null when valid (an empty or null value is valid: the label is optional), else a message.</summary>
    public static string? Validate(string? value, string what = "label")
    {
        if (string.IsNullOrEmpty(value))
            return null;
        if (value.Length > MaxLength)
            return $"The {what} is {value.Length} characters long; at most {MaxLength} are allowed.";
        if (!LabelValueRegex().IsMatch(value))
            return $"'{value}' is not a valid {what}: use letters, digits, '-', '_' and '.', starting and ending with a letter or digit (e.g. network1, eu-west-1).";
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValueRegex();
}
