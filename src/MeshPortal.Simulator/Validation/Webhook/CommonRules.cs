using System.Text.Json.Nodes;
using MeshPortal.Simulator.Validation.Cel;

namespace MeshPortal.Simulator.Validation.Webhook;

/// <summary>Rules several kinds share: exportTo, workload selectors, "namespace/host" hosts, durations.</summary>
internal static class CommonRules
{
    /// <summary><c>validateExportTo</c> (1.7+; 1.6 allowed one entry, "." or "*").</summary>
    public static void ExportTo(IstioConfig cfg, IReadOnlyList<string> exportTo, bool isServiceEntry, bool isDestinationRuleWithSelector, IstioValidation v)
    {
        if (exportTo.Count == 0)
        {
            return;
        }

        if (!cfg.AtLeast(7))
        {
            v.Error(exportTo.Count > 1 ? "exportTo should have only one entry (. or *) in the current release"
                : exportTo[0] is "." or "*" ? null : "only . or * is allowed in the exportTo in the current release");
            return;
        }

        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in exportTo)
        {
            var key = e == "." ? cfg.Namespace : e;
            if (set.Contains(key))
            {
                v.Error(key != e ? $"duplicate entries in exportTo: . and current namespace {cfg.Namespace}" : $"duplicate entries in exportTo for entry {e}");
            }
            else if (isServiceEntry && e == "~")
            {
                set.Add(key);
            }
            else if (Visibility(cfg, key) is { } error)
            {
                v.Error(error);
            }
            else
            {
                set.Add(key);
            }
        }

        if (isDestinationRuleWithSelector && set.Count > 0 && cfg.AtLeast(14))
        {
            v.Error(set.Contains(cfg.Namespace)
                ? set.Count > 1 ? "destination rule with workload selector cannot have multiple entries in exportTo" : null
                : "destination rule with workload selector cannot have exportTo beyond current namespace");
        }

        if (set.Contains("*") && exportTo.Count > 1)
        {
            v.Error("cannot have both public (*) and non-public exportTo values for a resource");
        }

        if (set.Contains("~") && exportTo.Count > 1)
        {
            v.Error("cannot export service entry to no one (~) and someone");
        }
    }

    /// <summary><c>visibility.Instance.Validate</c>.</summary>
    private static string? Visibility(IstioConfig cfg, string value) => value switch
    {
        "." or "*" => null,
        "~" => "exportTo ~ (none) is not allowed for Istio configuration objects",
        _ when IstioNames.IsDns1123Label(value) => null,
        _ => cfg.AtLeast(16) ? "only .,*, or a valid DNS 1123 label is allowed as exportTo entry"
            : "only .,*,~, or a valid DNS 1123 label is allowed as exportTo entry",
    };

    /// <summary>
    /// <c>ValidateAlphaWorkloadSelector</c> (networking.v1alpha3.WorkloadSelector.labels): errors for empty keys and wildcards;
    /// returns whether the selector is set but has no labels (callers turn that into their own warning, 1.16+).
    /// </summary>
    public static bool AlphaWorkloadSelector(JsonObject? selector, IstioValidation v)
    {
        if (selector is null)
        {
            return false;
        }

        foreach (var (k, value) in selector.StringMap("labels"))
        {
            if (k.Length == 0)
            {
                v.Error($"empty key is not supported in selector: \"{k}={value}\"");
            }

            if (k.Contains('*') || value.Contains('*'))
            {
                v.Error($"wildcard is not supported in selector: \"{k}={value}\"");
            }
        }

        return selector.Count("labels") == 0;
    }

    /// <summary><c>validateWorkloadSelector</c> (type.v1beta1.WorkloadSelector.matchLabels).</summary>
    public static void WorkloadSelector(IstioConfig cfg, JsonObject? selector, IstioValidation v)
    {
        if (selector is null)
        {
            return;
        }

        foreach (var (k, value) in selector.StringMap("matchLabels"))
        {
            if (k.Length == 0)
            {
                v.Error($"empty key is not supported in selector: \"{k}={value}\"");
            }

            if (k.Contains('*') || value.Contains('*'))
            {
                v.Error($"wildcard is not supported in selector: \"{k}={value}\"");
            }
        }

        if (selector.Count("matchLabels") == 0 && cfg.AtLeast(18))
        {
            v.Warning("workload selector specified without labels");
        }
    }

    /// <summary><c>ValidateNamespaceSlashWildcardHostname</c> for Gateway servers (isGateway) and Sidecar egress hosts.</summary>
    public static void NamespaceSlashHostname(IstioConfig cfg, string hostname, bool isGateway, IstioValidation v)
    {
        var parts = hostname.Split('/', 2);
        if (parts.Length != 2)
        {
            if (isGateway)
            {
                HostnamePart(cfg, hostname, true, v);
            }
            else
            {
                v.Error("host must be of form namespace/dnsName");
            }

            return;
        }

        if (parts[0].Length == 0 || parts[1].Length == 0)
        {
            v.Error("config namespace and dnsName in host entry cannot be empty");
        }

        if (parts[0] is not ("*" or ".") && !(parts[0] == "~" && !isGateway) && !IstioNames.IsDns1123Label(parts[0]))
        {
            v.Error(isGateway ? $"invalid namespace value \"{parts[0]}\" in gateway" : $"invalid namespace value \"{parts[0]}\" in sidecar");
        }

        HostnamePart(cfg, parts[1], isGateway, v);
    }

    private static void HostnamePart(IstioConfig cfg, string hostname, bool isGateway, IstioValidation v)
    {
        if (hostname != "*" && !hostname.Contains('.'))
        {
            v.Error("short names (non FQDN) are not allowed");
        }

        if (IstioNames.ValidateWildcardDomain(hostname) is { } err)
        {
            if (!isGateway)
            {
                v.Error(err);
            }

            if (!IstioNames.IsIp(hostname))
            {
                v.Error(err);
            }
        }

        if (cfg.AtLeast(17))
        {
            v.Error(IstioNames.ValidatePartialWildcard(hostname));
        }
    }

    /// <summary>
    /// <c>ValidateDuration</c>: at least 1ms, millisecond precision. The text is decoded first as jsonpb decodes a
    /// google.protobuf.Duration (Go <c>time.ParseDuration</c>), so "1.5s" and "300ms" both read.
    /// </summary>
    public static string? Duration(string text)
    {
        if (!GoDuration.TryParse(text, out var d))
        {
            return $"bad Duration: time: invalid duration \"{text}\"";
        }

        if (d < TimeSpan.FromMilliseconds(1))
        {
            return "duration must be greater than 1ms";
        }

        return d.Ticks % TimeSpan.TicksPerMillisecond != 0 ? "only durations to ms precision are supported" : null;
    }
}
