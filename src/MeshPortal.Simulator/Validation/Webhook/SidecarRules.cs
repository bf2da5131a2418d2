using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Validation.Webhook;

/// <summary>istiod's <c>ValidateSidecar</c> (ingress/egress listeners, egress hosts, outbound traffic policy) at 1.24.0.</summary>
internal static class SidecarRules
{
    public static void Validate(IstioConfig cfg, IstioValidation v)
    {
        var spec = cfg.Spec;
        var selectorErrors = new IstioValidation();
        var noLabels = CommonRules.AlphaWorkloadSelector(spec.Obj("workloadSelector"), selectorErrors);
        if (selectorErrors.HasErrors)
        {
            v.Add(selectorErrors);
            return;
        }

        if (noLabels && cfg.AtLeast(16))
        {
            v.Warning("sidecar: workload selector specified without labels, will be applied to all services in namespace");
        }

        var ingress = spec.Objects("ingress");
        var egress = spec.Objects("egress");
        if (egress.Count == 0 && ingress.Count == 0 && !spec.Has("outboundTrafficPolicy") && !spec.Has("inboundConnectionPool"))
        {
            v.Error("sidecar: empty configuration provided");
            return;
        }

        var ports = new HashSet<long>();
        foreach (var listener in ingress)
        {
            Ingress(cfg, listener, ports, v);
        }

        if (spec.Obj("inboundConnectionPool") is { } inbound)
        {
            ConnectionPool(cfg, inbound, v);
        }

        ports.Clear();
        var sockets = new HashSet<string>(StringComparer.Ordinal);
        var catchAll = false;
        for (var index = 0; index < egress.Count; index++)
        {
            var listener = egress[index];
            if (listener.Obj("port") is not { } port)
            {
                if (catchAll)
                {
                    v.Error("sidecar: egress can have only one listener with empty port");
                    continue;
                }

                if (index == egress.Count - 1)
                {
                    catchAll = true;
                }
                else
                {
                    v.Error("sidecar: the egress listener with empty port should be the last listener in the list");
                }
            }
            else
            {
                if (port.Num("targetPort") > 0 && cfg.AtLeast(20))
                {
                    v.Error("targetPort has no impact on Sidecars");
                }

                var bind = listener.Str("bind");
                EgressPort(port, bind, listener.Has("captureMode") ? listener.Str("captureMode") : "DEFAULT", v);
                if (port.Num("number") == 0)
                {
                    v.Error(!sockets.Add(bind) ? "sidecar: unix domain socket values for listeners must be unique" : null);
                }
                else
                {
                    v.Error(!ports.Add(port.Num("number")) ? "sidecar: ports on IP bound listeners must be unique" : null);
                }
            }

            EgressHosts(cfg, listener.Strings("hosts"), v);
        }

        OutboundTrafficPolicy(spec.Obj("outboundTrafficPolicy"), v);
    }

    private static void Ingress(IstioConfig cfg, JsonObject listener, HashSet<long> ports, IstioValidation v)
    {
        if (listener.Obj("port") is not { } port)
        {
            v.Error("sidecar: port is required for ingress listeners");
            return;
        }

        if (port.Num("targetPort") > 0 && cfg.AtLeast(20))
        {
            v.Error("targetPort has no impact on Sidecars");
        }

        if (port.Str("name").Length > 0)
        {
            v.Error(IstioNames.ValidatePortName(port.Str("name")));
        }

        v.Error(IstioNames.ValidateProtocol(port.Str("protocol")));
        v.Error(IstioNames.ValidatePort(port.Num("number")));
        if (listener.Str("bind").Length != 0)
        {
            v.Error(IstioNames.ValidateIpAddress(listener.Str("bind")));
        }

        v.Error(!ports.Add(port.Num("number")) ? "sidecar: ports on IP bound listeners must be unique" : null);
        DefaultEndpoint(listener.Str("defaultEndpoint"), v);
        if (listener.Obj("tls") is { } tls)
        {
            v.Error(tls.Count("subjectAltNames") > 0 ? "sidecar: subjectAltNames is not supported in ingress tls" : null);
            v.Error(tls.Flag("httpsRedirect") ? "sidecar: httpsRedirect is not supported" : null);
            v.Error(tls.Str("credentialName").Length > 0 ? "sidecar: credentialName is not currently supported" : null);
            var mode = tls.Has("mode") ? tls.Str("mode") : "PASSTHROUGH";
            v.Error(mode is "ISTIO_MUTUAL" or "AUTO_PASSTHROUGH" ? $"configuration is invalid: cannot set mode to {mode} in sidecar ingress tls" : null);
            v.Error(!IstioNames.IsTls(port.Str("protocol")) ? "server cannot have TLS settings for non HTTPS/TLS ports" : null);
            GatewayRules.TlsOptions(cfg, tls, v);
        }

        if (listener.Obj("connectionPool") is { } pool)
        {
            ConnectionPool(cfg, pool, v);
            if (pool.Has("http") && !IstioNames.IsHttp(port.Str("protocol")) && cfg.AtLeast(24))
            {
                v.Warning($"sidecar: HTTP connection pool settings are configured for port {port.Num("number")} (\"{port.Str("name")}\") but its protocol is not HTTP ({port.Str("protocol")}); only TCP settings will apply");
            }
        }
    }

    private static void DefaultEndpoint(string endpoint, IstioValidation v)
    {
        if (endpoint.Length == 0)
        {
            return;
        }

        if (endpoint.StartsWith(IstioNames.UnixAddressPrefix, StringComparison.Ordinal))
        {
            v.Error(IstioNames.ValidateUnixAddress(endpoint[IstioNames.UnixAddressPrefix.Length..]));
            return;
        }

        // net.SplitHostPort
        var colon = endpoint.LastIndexOf(':');
        var host = colon < 0 ? "" : endpoint[..colon].Trim('[', ']');
        var port = colon < 0 ? "" : endpoint[(colon + 1)..];
        if (colon < 0)
        {
            v.Error($"address {endpoint}: missing port in address");
        }

        if (host.Length > 0 && host is not ("127.0.0.1" or "0.0.0.0" or "::1" or "::"))
        {
            v.Error("sidecar: defaultEndpoint must be of form 127.0.0.1:<port>,0.0.0.0:<port>,[::1]:port,[::]:port,unix://filepath or unset");
        }

        if (!int.TryParse(port, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            v.Error($"sidecar: defaultEndpoint port ({port}) is not a number: strconv.Atoi: parsing \"{port}\": invalid syntax");
        }
        else
        {
            v.Error(IstioNames.ValidatePort(number));
        }
    }

    private static void EgressPort(JsonObject port, string bind, string captureMode, IstioValidation v)
    {
        if (port.Str("name").Length > 0)
        {
            v.Error(IstioNames.ValidatePortName(port.Str("name")));
        }

        v.Error(IstioNames.ValidateProtocol(port.Str("protocol")));
        if (port.Num("number") == 0)
        {
            v.Error(!bind.StartsWith(IstioNames.UnixAddressPrefix, StringComparison.Ordinal)
                ? "sidecar: ports with 0 value must have a unix domain socket bind address"
                : IstioNames.ValidateUnixAddress(bind[IstioNames.UnixAddressPrefix.Length..]));
            v.Error(captureMode is not ("DEFAULT" or "NONE") ? "sidecar: captureMode must be DEFAULT/NONE for unix domain socket listeners" : null);
            return;
        }

        v.Error(IstioNames.ValidatePort(port.Num("number")));
        if (bind.Length != 0)
        {
            v.Error(IstioNames.ValidateIpAddress(bind));
        }
    }

    private static void EgressHosts(IstioConfig cfg, IReadOnlyList<string> hosts, IstioValidation v)
    {
        if (hosts.Count == 0)
        {
            v.Error("sidecar: egress listener must contain at least one host");
            return;
        }

        var seen = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var hostname in hosts)
        {
            var parts = hostname.Split('/', 2);
            if (parts.Length == 2 && cfg.AtLeast(18))
            {
                var ns = parts[0] == "." ? cfg.Namespace : parts[0];
                var services = seen.TryGetValue(ns, out var s) ? s : seen[ns] = new HashSet<string>(StringComparer.Ordinal);
                if (parts[1] != "*" ? services.Contains(parts[1]) || services.Contains("*") : services.Count != 0)
                {
                    v.Warning($"duplicated egress host: {hostname}");
                }

                services.Add(parts[1]);
            }

            CommonRules.NamespaceSlashHostname(cfg, hostname, isGateway: false, v);
        }

        if (seen.TryGetValue("*", out var all) && all.Contains("*") && seen.Count != 1)
        {
            v.Warning("`*/*` host select all resources, no other hosts can be added");
        }
    }

    private static void OutboundTrafficPolicy(JsonObject? policy, IstioValidation v)
    {
        if (policy?.Obj("egressProxy") is not { } proxy)
        {
            return;
        }

        if ((policy.Has("mode") ? policy.Str("mode") : "REGISTRY_ONLY") != "ALLOW_ANY")
        {
            v.Error("sidecar: egress_proxy must be set only with ALLOW_ANY outbound_traffic_policy mode");
            return;
        }

        v.Error(IstioNames.ValidateFqdn(proxy.Str("host")));
        if (proxy.Obj("port") is null)
        {
            v.Error("sidecar: egress_proxy port must be non-nil");
            return;
        }

        VirtualServiceRules.Destination(proxy, v);
    }

    /// <summary>The Sidecar uses DestinationRule's connection pool checks.</summary>
    private static void ConnectionPool(IstioConfig cfg, JsonObject pool, IstioValidation v) =>
        DestinationRuleRules.ConnectionPoolRules(cfg, pool, v);
}
