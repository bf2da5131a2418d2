using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;
using MeshPortal.Simulator.Validation.Schemas;
using MeshPortal.Simulator.Validation.Webhook;

namespace MeshPortal.Simulator.Validation.Admission;

/// <summary>
/// What one simulated API server does with a custom resource (Istio's and the MCS kinds) on the way to storage, in the
/// real order: decode (prune undeclared fields, reported per <c>fieldValidation</c>), validate against the CRD schema of
/// the cluster's Istio release (OpenAPI + CEL → 422 Invalid), then the validating webhook (→ 400 denial, or warnings).
/// Server-side apply first converts the applied configuration to a typed value, which refuses undeclared fields with 500.
/// </summary>
internal sealed class CustomResourceAdmission(string istioVersion, string kubernetesVersion)
{
    private readonly CrdSchemas _schemas = CrdSchemas.ForIstio(istioVersion);

    public SimVersion Istio { get; } = SimVersion.Parse(istioVersion);

    public SimVersion Kubernetes { get; } = SimVersion.Parse(kubernetesVersion);

    public CrdSchemas Schemas => _schemas;

    /// <summary>The directive for a request: the fieldValidation parameter, else Warn from Kubernetes 1.25 (feature GA'd in 1.27, on by default from 1.25) and Ignore before.</summary>
    public FieldValidation Directive(string? parameter) => parameter?.ToLowerInvariant() switch
    {
        "strict" => FieldValidation.Strict,
        "warn" => FieldValidation.Warn,
        "ignore" => FieldValidation.Ignore,
        _ => Kubernetes >= new SimVersion(1, 25) ? FieldValidation.Warn : FieldValidation.Ignore,
    };

    /// <summary>
    /// Server-side apply's typed conversion of the applied configuration (structured-merge-diff): an undeclared field or a
    /// wrong type is a 500 "failed to create typed patch object" whatever fieldValidation says.
    /// </summary>
    public void CheckAppliedConfiguration(ResourceType type, string version, string? ns, string name, JsonObject applied)
    {
        if (Schema(type, version) is not { } schema || _schemas.PreserveUnknownFieldsKinds.Contains(type.Kind))
        {
            return;
        }

        var errors = UnknownFields.TypedErrors(applied, schema);
        if (errors.Count > 0)
        {
            var gvk = $"{type.ApiVersion(version)}, Kind={type.Kind}";
            throw new ApiException(500, "",
                $"failed to create typed patch object ({ns}/{name}; {gvk}): {UnknownFields.Join(errors)}");
        }
    }

    /// <summary>
    /// Decoding: prunes undeclared fields from <paramref name="obj"/> in place and applies the directive. Returns the
    /// warnings to send; throws for Strict. With a CRD that preserves unknown fields nothing is pruned; the paths are
    /// returned in <paramref name="preserved"/> (istiod's own decoder meets them later).
    /// </summary>
    public List<string> Decode(ResourceType type, string version, JsonObject obj, WriteVerb verb, FieldValidation directive, out List<string> preserved)
    {
        preserved = [];
        if (Schema(type, version) is not { } schema)
        {
            return [];
        }

        if (_schemas.PreserveUnknownFieldsKinds.Contains(type.Kind))
        {
            preserved = UnknownFields.UndeclaredInMessages(obj, schema);
            return [];
        }

        var unknown = UnknownFields.Prune(obj, schema);
        if (unknown.Count == 0 || directive == FieldValidation.Ignore)
        {
            return [];
        }

        var messages = unknown.Select(p => $"unknown field \"{p}\"").ToList();
        if (directive == FieldValidation.Warn)
        {
            return messages;
        }

        var strict = $"strict decoding error: {string.Join(", ", messages)}";
        if (verb == WriteVerb.MergePatch)
        {
            var details = new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = $"Invalid value: \"{obj.ToJsonString()}\": {strict}", ["field"] = "patch" }),
            };
            throw new ApiException(422, "Invalid", $" \"\" is invalid: patch: Invalid value: \"{obj.ToJsonString()}\": {strict}", details);
        }

        throw ApiException.BadRequest($"{type.Kind} in version \"{version}\" cannot be handled as a {type.Kind}: {strict}");
    }

    /// <summary>The CRD's OpenAPI schema and CEL rules; the API server reports these with the metadata errors as one 422.</summary>
    public List<FieldError> Validate(ResourceType type, string version, JsonObject obj)
    {
        if (Schema(type, version) is not { } schema)
        {
            return [];
        }

        var errors = SchemaValidator.Validate(obj, schema);
        CelValidation.Validate(obj, schema, "", errors);
        return errors;
    }

    /// <summary>istiod's validating webhook (Istio kinds only); returns warnings or throws the denial.</summary>
    public IReadOnlyList<string> Webhook(ResourceType type, JsonObject obj, IReadOnlyList<string> preserved) =>
        IstioWebhook.Admit(type, obj, Istio, Kubernetes, preserved);

    private StructuralSchema? Schema(ResourceType type, string version) => type.IsCustom ? _schemas.Get(type.Kind, version) : null;
}
