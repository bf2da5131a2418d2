using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;

namespace MeshPortal.Simulator.Validation.Webhook;

/// <summary>
/// istiod's validating webhook as the API server calls it for networking.istio.io and security.istio.io objects on
/// CREATE and UPDATE (so also patch and apply): <c>pkg/webhooks/validation/server/server.go</c> decodes the object,
/// runs the kind's rules and answers "configuration is invalid: ..." or allows it with warnings (istiod 1.8+).
/// The API server turns a denial into a 400 Status (<c>admission/plugin/webhook/errors/statuserror.go</c>, Kubernetes
/// 1.15+) worded <c>admission webhook "validation.istio.io" denied the request: ...</c>, and warnings into Warning
/// headers (Kubernetes 1.19+).
/// </summary>
internal static class IstioWebhook
{
    /// <summary>Validates <paramref name="obj"/>; returns the admission warnings, or throws the API server's denial.</summary>
    public static IReadOnlyList<string> Admit(ResourceType type, JsonObject obj, SimVersion istio, SimVersion kubernetes, IReadOnlyList<string> undecodable)
    {
        if (type.Group is not (ResourceType.IstioGroup or ResourceType.SecurityGroup))
        {
            return [];
        }

        var meta = obj["metadata"] as JsonObject;
        var labels = StringMap(meta?["labels"]);
        var webhook = WebhookName(istio, labels);
        if (webhook is null)
        {
            return [];
        }

        var name = (string?)meta?["name"] ?? "";
        var ns = (string?)meta?["namespace"] ?? "";
        if (undecodable.Count > 0)
        {
            // A CRD that preserves unknown fields (EnvoyFilter at 1.8/1.9) hands them to istiod, whose strict JSON decoding refuses them.
            throw Denied(webhook, kubernetes, $"error decoding configuration: {UnknownFieldMessage(type.Kind, undecodable[0])}");
        }

        var cfg = new IstioConfig(type.Kind, name, ns, labels, StringMap(meta?["annotations"]), obj["spec"] as JsonObject ?? [], istio);
        var v = new IstioValidation();
        if (MetadataError(cfg) is { } metadataError)
        {
            v.Error(metadataError);
        }
        else
        {
            Rules(cfg, v);
        }

        if (v.HasErrors)
        {
            throw Denied(webhook, kubernetes, $"configuration is invalid: {v.ErrorText()}");
        }

        // istiod returned no warnings before 1.8, and API servers before 1.19 drop them.
        return istio >= new SimVersion(1, 8) && kubernetes >= new SimVersion(1, 19) ? v.Warnings : [];
    }

    private static void Rules(IstioConfig cfg, IstioValidation v)
    {
        switch (cfg.Kind)
        {
            case "ServiceEntry":
                ServiceEntryRules.Validate(cfg, v);
                break;
            case "Gateway":
                GatewayRules.Validate(cfg, v);
                break;
            case "DestinationRule":
                DestinationRuleRules.Validate(cfg, v);
                break;
            case "EnvoyFilter":
                EnvoyFilterRules.Validate(cfg, v);
                break;
            case "VirtualService":
                VirtualServiceRules.Validate(cfg, v);
                break;
            case "Sidecar":
                SidecarRules.Validate(cfg, v);
                break;
            case "AuthorizationPolicy":
                SecurityRules.AuthorizationPolicy(cfg, v);
                break;
            case "PeerAuthentication":
                SecurityRules.PeerAuthentication(cfg, v);
                break;
        }
    }

    /// <summary><c>validateMetadata</c>: the istio.io/dry-run annotation (1.10+) and the always-reject annotation (1.20+).</summary>
    private static string? MetadataError(IstioConfig cfg)
    {
        if (cfg.AtLeast(10) && cfg.Annotations.TryGetValue("istio.io/dry-run", out var dryRun))
        {
            if (cfg.Kind != "AuthorizationPolicy")
            {
                return $"{cfg.Namespace}/{cfg.Name} has unsupported annotation istio.io/dry-run, please remove the annotation";
            }

            var action = cfg.Spec.Has("action") ? cfg.Spec.Str("action") : "ALLOW";
            if (action is not ("ALLOW" or "DENY"))
            {
                return $"the annotation istio.io/dry-run currently only supports action ALLOW/DENY, found action {action} in {cfg.Namespace}/{cfg.Name}";
            }

            if (dryRun is not ("1" or "t" or "T" or "TRUE" or "true" or "True" or "0" or "f" or "F" or "FALSE" or "false" or "False"))
            {
                return $"{cfg.Namespace}/{cfg.Name} has annotation istio.io/dry-run with invalid value ({dryRun}): strconv.ParseBool: parsing \"{dryRun}\": invalid syntax";
            }
        }

        return cfg.AtLeast(20) && cfg.Annotations.ContainsKey("internal.istio.io/webhook-always-reject")
            ? "\"internal.istio.io/webhook-always-reject\" annotation found, rejecting"
            : null;
    }

    /// <summary>
    /// Which webhook judges the object (istio-discovery and base charts): "validation.istio.io" everywhere, except on 1.11
    /// where objects labelled istio.io/rev are left to "rev.validation.istio.io", and only when the label names this
    /// (default) revision; null when no webhook selects the object.
    /// </summary>
    public static string? WebhookName(SimVersion istio, IReadOnlyDictionary<string, string> labels)
    {
        if (istio < new SimVersion(1, 11) || istio >= new SimVersion(1, 12) || !labels.TryGetValue("istio.io/rev", out var revision))
        {
            return "validation.istio.io";
        }

        return revision == "default" ? "rev.validation.istio.io" : null;
    }

    /// <summary>The API server's Status for a denying webhook: code 400 with the message only (no reason, no details).</summary>
    private static ApiException Denied(string webhook, SimVersion kubernetes, string message)
    {
        // Before Kubernetes 1.15 the webhook's Status (code 0) was passed through and written as a 500.
        var code = kubernetes >= new SimVersion(1, 15) ? 400 : 500;
        return new ApiException(code, "", $"admission webhook \"{webhook}\" denied the request: {message}");
    }

    /// <summary>
    /// jsonpb's "unknown field \"x\" in v1alpha3.Message" for a path like "configPatches[0].match.foo": the proto message
    /// is named after the path (EnvoyFilter is the only kind whose CRD ever preserved unknown fields).
    /// </summary>
    private static string UnknownFieldMessage(string kind, string path)
    {
        var segments = path.Split('.').Select(s => s.Split('[')[0]).ToList();
        var field = segments[^1];
        var message = segments.Count == 1 ? kind : string.Join("/", segments.Take(segments.Count - 1)) switch
        {
            "configPatches" => "EnvoyFilter_EnvoyConfigObjectPatch",
            "configPatches/match" => "EnvoyFilter_EnvoyConfigObjectMatch",
            "configPatches/patch" => "EnvoyFilter_Patch",
            "configPatches/match/proxy" => "EnvoyFilter_ProxyMatch",
            "configPatches/match/listener" => "EnvoyFilter_ListenerMatch",
            "configPatches/match/listener/filterChain" => "EnvoyFilter_ListenerMatch_FilterChainMatch",
            "configPatches/match/listener/filterChain/filter" => "EnvoyFilter_ListenerMatch_FilterMatch",
            "configPatches/match/routeConfiguration" => "EnvoyFilter_RouteConfigurationMatch",
            "configPatches/match/cluster" => "EnvoyFilter_ClusterMatch",
            "workloadSelector" => "WorkloadSelector",
            _ => kind,
        };
        return $"unknown field \"{field}\" in v1alpha3.{message}";
    }

    private static IReadOnlyDictionary<string, string> StringMap(JsonNode? node) =>
        node is JsonObject o ? o.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "", StringComparer.Ordinal) : new Dictionary<string, string>();
}
