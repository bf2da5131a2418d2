using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Validation.Webhook;

/// <summary><c>agent.ValidateLocalityLbSetting</c> and <c>validateLocalities</c> (1.24.0).</summary>
internal static class LocalityRules
{
    public static void Validate(JsonObject? lb, JsonObject? outlier, IstioValidation v)
    {
        if (lb is null)
        {
            return;
        }

        var distribute = lb.Objects("distribute");
        var failover = lb.Objects("failover");
        var priority = lb.Strings("failoverPriority");
        if (distribute.Count > 0 && failover.Count > 0)
        {
            v.Error("can not simultaneously specify 'distribute' and 'failover'");
            return;
        }

        if (failover.Count > 0 && priority.FirstOrDefault(p => p is "topology.kubernetes.io/region" or "topology.kubernetes.io/zone" or "topology.istio.io/subzone") is { } label)
        {
            v.Error($"can not simultaneously set 'failover' and topology label '{label}' in 'failover_priority'");
            return;
        }

        var sources = new List<string>();
        foreach (var d in distribute)
        {
            sources.Add(d.Str("from"));
            var total = 0L;
            var destinations = new List<string>();
            foreach (var (locality, weight) in d.Obj("to") ?? [])
            {
                destinations.Add(locality);
                var w = MeshPortal.Simulator.Api.JsonNumbers.Int64(weight) ?? 0;
                if (w is <= 0 or > 100)
                {
                    v.Error("locality weight must be in range [1, 100]");
                    return;
                }

                total += w;
            }

            if (total != 100)
            {
                v.Error($"total locality weight {total} != 100");
                return;
            }

            v.Error(Localities(destinations));
        }

        v.Error(Localities(sources));
        if ((failover.Count != 0 || priority.Count != 0) && outlier is null)
        {
            v.Warning("outlier detection policy must be provided for failover");
        }

        foreach (var f in failover)
        {
            var from = f.Str("from");
            var to = f.Str("to");
            v.Error(from == to ? "locality lb failover settings must specify different regions" : null);
            v.Error(from.Contains('/') || to.Contains('/') ? "locality lb failover only specify region" : null);
            v.Error(to.Contains('*') || from.Contains('*') ? "locality lb failover region should not contain '*' wildcard" : null);
        }
    }

    private static string? Localities(IReadOnlyList<string> localities)
    {
        var seen = new List<string[]>();
        foreach (var locality in localities)
        {
            var stars = locality.Count(c => c == '*');
            if (stars > 1 || (stars == 1 && !locality.EndsWith('*')))
            {
                return $"locality {locality} wildcard '*' number can not exceed 1 and must be in the end";
            }

            if (seen.Any(s => s[0] == "*"))
            {
                return $"locality {locality} overlap with previous specified ones";
            }

            var parts = locality.Split('/', 3);
            if (parts.Any(p => p.Length == 0))
            {
                return $"locality {locality} must not contain empty region/zone/subzone info";
            }

            // A locality overlaps an earlier one when either is a prefix (wildcard or shorter) of the other.
            var path = parts.Where(p => p != "*").ToArray();
            if (seen.Any(s => s.Length <= path.Length ? s.SequenceEqual(path.Take(s.Length)) : path.SequenceEqual(s.Take(path.Length))))
            {
                return $"locality {locality} overlap with previous specified ones";
            }

            seen.Add(path.Length == 0 ? ["*"] : path);
        }

        return null;
    }
}
