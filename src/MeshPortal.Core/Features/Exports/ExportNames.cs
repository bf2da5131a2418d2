namespace MeshPortal.Core.Features.Exports;

/// <summary>Names derived from an export: host, ServiceEntry name, sync source.</summary>
public static class ExportNames
{
    public const string SourcePrefix = "export/";

    public static string Host(string service, string @namespace) => $"{service}.{@namespace}.global";

    /// <summary>ServiceEntry name: <c>&lt;svc&gt;-&lt;ns&gt;-global</c> (unique per host, since service and namespace names contain no dots).</summary>
    public static string ServiceEntryName(string service, string @namespace) => $"{service}-{@namespace}-global";

    public static string SourceOf(int exportId) => SourcePrefix + exportId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
