using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Validation.Webhook;

/// <summary>
/// istiod's <c>ValidateDestinationRule</c> and <c>validateTrafficPolicy</c> (outlier detection, connection pool, load
/// balancer with locality settings, client TLS via <c>agent.ValidateTLS</c>, port-level settings, tunnel, proxy protocol)
/// at 1.24.0, with later additions gated on their release. Fields an older CRD does not declare are pruned before the
/// webhook sees them, which gates the rules about them too.
/// </summary>
internal static class DestinationRuleRules
{
    public static void Validate(IstioConfig cfg, IstioValidation v)
    {
        var spec = cfg.Spec;
        v.Error(IstioNames.ValidateWildcardDomain(spec.Str("host")));
        TrafficPolicy(cfg, spec.Obj("trafficPolicy"), v);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var subset in spec.Objects("subsets"))
        {
            if (cfg.AtLeast(22) && !names.Add(subset.Str("name")))
            {
                v.Error($"duplicate subset names: {subset.Str("name")}");
            }

            // validateSubset returns one error value: a multierror when more than one check fails.
            var sub = new IstioValidation();
            sub.Error(SubsetName(subset.Str("name")));
            IstioNames.ValidateLabels(subset.StringMap("labels"), sub);
            TrafficPolicy(cfg, subset.Obj("trafficPolicy"), sub);
            v.AddErrors(sub);
        }

        var selector = spec.Obj("workloadSelector");
        CommonRules.ExportTo(cfg, spec.Strings("exportTo"), isServiceEntry: false, isDestinationRuleWithSelector: selector is not null, v);
        CommonRules.WorkloadSelector(cfg, selector, v);
    }

    public static string? SubsetName(string name) =>
        name.Length == 0 ? "subset name cannot be empty" : IstioNames.IsDns1123Label(name) ? null : $"subset name is invalid: {name}";

    private static void TrafficPolicy(IstioConfig cfg, JsonObject? policy, IstioValidation v)
    {
        if (policy is null)
        {
            return;
        }

        if (!new[] { "outlierDetection", "connectionPool", "loadBalancer", "tls", "portLevelSettings", "tunnel", "proxyProtocol" }.Any(policy.Has))
        {
            v.Error("traffic policy must have at least one field");
            return;
        }

        if (policy.Has("tunnel") && policy.Has("proxyProtocol"))
        {
            v.Error("tunnel and proxyProtocol must not be set together");
            return;
        }

        PolicyParts(cfg, policy, v);
        foreach (var p in policy.Objects("portLevelSettings"))
        {
            if (p.Obj("port") is null)
            {
                v.Error("portTrafficPolicy must have valid port");
            }

            if (!new[] { "outlierDetection", "connectionPool", "loadBalancer", "tls" }.Any(p.Has))
            {
                v.Error("port traffic policy must have at least one field");
                continue;
            }

            PolicyParts(cfg, p, v);
        }

        if (policy.Obj("tunnel") is { } tunnel)
        {
            var protocol = tunnel.Str("protocol");
            if (protocol.Length > 0 && protocol is not ("CONNECT" or "POST"))
            {
                v.Error("tunnel protocol must be \"CONNECT\" or \"POST\"");
            }

            var target = tunnel.Str("targetHost");
            if (IstioNames.ValidateFqdn(target) is { } fqdn && IstioNames.ValidateIpAddress(target) is { } ip)
            {
                v.Error($"tunnel target host must be valid FQDN or IP address: {fqdn}; {ip}");
            }

            if (IstioNames.ValidatePort(tunnel.Num("targetPort")) is { } port)
            {
                v.Error($"tunnel target port is invalid: {port}");
            }
        }

        // validateProxyProtocol's version check cannot fail: the CRD's enum admits only V1 and V2.
    }

    /// <summary>The parts a traffic policy and a port-level policy share.</summary>
    private static void PolicyParts(IstioConfig cfg, JsonObject policy, IstioValidation v)
    {
        OutlierDetection(cfg, policy.Obj("outlierDetection"), v);
        ConnectionPool(cfg, policy.Obj("connectionPool"), v);
        LoadBalancer(cfg, policy.Obj("loadBalancer"), policy.Obj("outlierDetection"), v);
        ClientTls(cfg, policy.Obj("tls"), v);
    }

    private static void OutlierDetection(IstioConfig cfg, JsonObject? outlier, IstioValidation v)
    {
        if (outlier is null)
        {
            return;
        }

        if (outlier.Has("baseEjectionTime"))
        {
            v.Error(CommonRules.Duration(outlier.Str("baseEjectionTime")));
        }

        if (outlier.Num("consecutiveErrors") != 0 && cfg.AtLeast(8))
        {
            v.Warning("outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead");
        }

        if (cfg.AtLeast(12) && !outlier.Flag("splitExternalLocalOriginErrors") && outlier.Wrapped("consecutiveLocalOriginFailures") > 0)
        {
            v.Error("outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false");
        }

        if (outlier.Has("interval"))
        {
            v.Error(CommonRules.Duration(outlier.Str("interval")));
        }

        v.Error(IstioNames.ValidatePercent(outlier.Num("maxEjectionPercent")));
        v.Error(IstioNames.ValidatePercent(outlier.Num("minHealthPercent")));
    }

    public static void ConnectionPoolRules(IstioConfig cfg, JsonObject? pool, IstioValidation v) => ConnectionPool(cfg, pool, v);

    private static void ConnectionPool(IstioConfig cfg, JsonObject? pool, IstioValidation v)
    {
        if (pool is null)
        {
            return;
        }

        var http = pool.Obj("http");
        var tcp = pool.Obj("tcp");
        if (http is null && tcp is null)
        {
            v.Error("connection pool must have at least one field");
            return;
        }

        if (http is not null)
        {
            v.Error(http.Num("http1MaxPendingRequests") < 0 ? "http1 max pending requests must be non-negative" : null);
            v.Error(http.Num("http2MaxRequests") < 0 ? "http2 max requests must be non-negative" : null);
            v.Error(http.Num("maxRequestsPerConnection") < 0 ? "max requests per connection must be non-negative" : null);
            v.Error(http.Num("maxRetries") < 0 ? "max retries must be non-negative" : null);
            if (http.Has("idleTimeout"))
            {
                v.Error(CommonRules.Duration(http.Str("idleTimeout")));
            }

            if (cfg.AtLeast(8) && http.Str("h2UpgradePolicy") == "UPGRADE" && http.Flag("useClientProtocol"))
            {
                v.Error("use client protocol must not be true when H2UpgradePolicy is UPGRADE");
            }

            v.Error(http.Num("maxConcurrentStreams") < 0 ? "max concurrent streams must be non-negative" : null);
        }

        if (tcp is not null)
        {
            v.Error(tcp.Num("maxConnections") < 0 ? "max connections must be non-negative" : null);
            foreach (var field in new[] { "connectTimeout", "maxConnectionDuration", "idleTimeout" })
            {
                if (tcp.Has(field))
                {
                    v.Error(CommonRules.Duration(tcp.Str(field)));
                }
            }

            if (tcp.Obj("tcpKeepalive") is { } ka)
            {
                foreach (var field in new[] { "time", "interval" })
                {
                    if (ka.Has(field))
                    {
                        v.Error(CommonRules.Duration(ka.Str(field)));
                    }
                }
            }
        }
    }

    private static void LoadBalancer(IstioConfig cfg, JsonObject? lb, JsonObject? outlier, IstioValidation v)
    {
        if (lb is null)
        {
            return;
        }

        if (lb.Obj("consistentHash") is { } hash)
        {
            if (hash.Obj("httpCookie") is { } cookie && cookie.Str("name").Length == 0)
            {
                v.Error("name required for HttpCookie");
            }

            var ring = hash.Num("minimumRingSize");
            if (ring != 0 && cfg.AtLeast(16))
            {
                v.Warning("consistent hash MinimumRingSize is deprecated, use ConsistentHashLB's RingHash configuration instead");
            }

            if (ring != 0 && (hash.Has("ringHash") || hash.Has("maglev")))
            {
                v.Error("only one of MinimumRingSize or Maglev/Ringhash can be specified");
            }

            if (hash.Obj("maglev") is { } maglev)
            {
                var size = maglev.Num("tableSize");
                v.Error(size == 0 ? "tableSize must be set for maglev" : null);
                v.Error(size >= 5000011 ? "tableSize must be less than 5000011 for maglev" : null);
                v.Error(!IsPrime(size) ? "tableSize must be a prime number for maglev" : null);
            }
        }

        LocalityRules.Validate(lb.Obj("localityLbSetting"), outlier, v);
        if (lb.Obj("warmup") is { } warmup)
        {
            v.Error(warmup.Has("duration") ? CommonRules.Duration(warmup.Str("duration")) : "duration is required");
            v.Error(warmup.Num("minimumPercent") > 100 ? "minimumPercent value should be less than or equal to 100" : null);
            v.Error(warmup.Has("aggression") && JsonNumbersDouble(warmup["aggression"]) < 1 ? "aggression should be greater than or equal to 1" : null);
        }
    }

    private static double JsonNumbersDouble(JsonNode? node) => MeshPortal.Simulator.Api.JsonNumbers.Double(node);

    private static bool IsPrime(long x)
    {
        if (x is > 0 and < 4)
        {
            return true;
        }

        if ((x & 1) == 0)
        {
            return false;
        }

        for (long f = 3; f * f <= x; f += 2)
        {
            if (x % f == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>agent.ValidateTLS</c> for a ClientTLSSettings.</summary>
    public static void ClientTls(IstioConfig cfg, JsonObject? tls, IstioValidation v)
    {
        if (tls is null)
        {
            return;
        }

        var mode = tls.Has("mode") ? tls.Str("mode") : "DISABLE";
        var credentialName = tls.Str("credentialName");
        if (cfg.AtLeast(20) && tls.Flag("insecureSkipVerify"))
        {
            if (mode == "SIMPLE" && (tls.Str("caCertificates").Length > 0 || credentialName.Length > 0 || tls.Has("subjectAltNames")))
            {
                v.Error("cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true");
            }

            if (mode == "MUTUAL" && (tls.Str("caCertificates").Length > 0 || tls.Has("subjectAltNames")))
            {
                v.Error("cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true");
            }
        }

        if (cfg.AtLeast(8) && mode is "SIMPLE" or "MUTUAL" && credentialName.Length > 0)
        {
            if (tls.Str("clientCertificate").Length > 0 || tls.Str("caCertificates").Length > 0 || tls.Str("privateKey").Length > 0 ||
                tls.Str("caCrl").Length > 0)
            {
                v.Error("cannot specify client certificates or CA certificate or CA CRL If credentialName is set");
            }

            return;
        }

        if (mode == "MUTUAL")
        {
            v.Error(tls.Str("clientCertificate").Length == 0 ? "client certificate required for mutual tls" : null);
            v.Error(tls.Str("privateKey").Length == 0 ? "private key required for mutual tls" : null);
        }
    }
}
