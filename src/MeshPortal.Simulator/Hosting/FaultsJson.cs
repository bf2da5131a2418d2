using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Hosting;

/// <summary>JSON form of <see cref="SimulatedFaults"/> for the admin endpoint; absent members are left unchanged.</summary>
internal static class FaultsJson
{
    public static JsonObject Describe(SimulatedFaults f) => new()
    {
        ["apiDown"] = f.ApiDown,
        ["apiLatencyMs"] = (long)f.ApiLatency.TotalMilliseconds,
        ["apiErrorStatus"] = f.ApiErrorStatus,
        ["tooManyRequests"] = f.TooManyRequests,
        ["execFails"] = f.ExecFails,
        ["gatewayDown"] = f.GatewayDown,
        ["eastWestGatewayDown"] = f.EastWestGatewayDown,
        ["istiodDown"] = f.IstiodDown,
        ["readerTokensRevoked"] = f.ReaderTokensRevoked,
        ["dnsBroken"] = f.DnsBroken,
        ["linkLatencyMs"] = (long)f.LinkLatency.TotalMilliseconds,
    };

    public static void Apply(SimulatedFaults f, JsonObject body)
    {
        var known = new HashSet<string>(Describe(f).Select(p => p.Key));
        if (body.Select(p => p.Key).FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            throw new ArgumentException($"unknown fault \"{unknown}\"; known: {string.Join(", ", known)}");
        }

        if (body["apiErrorStatus"] is { } status && status.GetValue<int>() is < 400 or > 599)
        {
            throw new ArgumentException("apiErrorStatus must be an HTTP error status (400-599) or null");
        }

        if (body["apiDown"] is { } a) f.ApiDown = a.GetValue<bool>();
        if (body["apiLatencyMs"] is { } l) f.ApiLatency = TimeSpan.FromMilliseconds(l.GetValue<double>());
        if (body.ContainsKey("apiErrorStatus")) f.ApiErrorStatus = body["apiErrorStatus"]?.GetValue<int>();
        if (body["tooManyRequests"] is { } t) f.TooManyRequests = t.GetValue<bool>();
        if (body["execFails"] is { } e) f.ExecFails = e.GetValue<bool>();
        if (body["gatewayDown"] is { } g) f.GatewayDown = g.GetValue<bool>();
        if (body["eastWestGatewayDown"] is { } ew) f.EastWestGatewayDown = ew.GetValue<bool>();
        if (body["istiodDown"] is { } i) f.IstiodDown = i.GetValue<bool>();
        if (body["readerTokensRevoked"] is { } r) f.ReaderTokensRevoked = r.GetValue<bool>();
        if (body["dnsBroken"] is { } d) f.DnsBroken = d.GetValue<bool>();
        if (body["linkLatencyMs"] is { } k) f.LinkLatency = TimeSpan.FromMilliseconds(k.GetValue<double>());
    }
}
