using System.Text.RegularExpressions;

namespace MeshPortal.Core.Exports;

/// <summary>Names derived from an export: host, ServiceEntry name, sync source; and the DNS-1123 label rule for inputs.</summary>
public static partial class ExportNames
{
    public const string SourcePrefix = "export/";

    public static string Host(string service, string @namespace) => $"{service}.{@namespace}.global";

    /// <summary>ServiceEntry name: <c>&lt;svc&gt;-&lt;ns&gt;-global</c> (unique per host, since service and namespace names contain no dots).</summary>
    public static string ServiceEntryName(string service, string @namespace) => $"{service}-{@namespace}-global";

    public static string SourceOf(int exportId) => SourcePrefix + exportId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Null when valid, else a message a person can act on.</summary>
    public static string? ValidateLabel(string? value, string what)
    {
        if (string.IsNullOrEmpty(value))
            return $"A {what} name is required.";
        if (value.Length > 63)
            return $"The {what} name is {value.Length} characters long; at most 63 are allowed.";
        if (!Dns1123Label().IsMatch(value))
            return $"'{value}' is not a valid {what} name: use lowercase letters, digits and '-', starting and ending with a letter or digit.";
        return null;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Label();
}
