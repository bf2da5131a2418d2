using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Api;

/// <summary>A failed API call, carried to the HTTP layer as a Kubernetes <c>Status</c> object.</summary>
internal sealed class ApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject? Details { get; } = details;

    public JsonObject ToStatus() => KubeStatus.Failure(Code, Reason, Message, Details?.DeepClone().AsObject());

    public static ApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedPlural} \"{name}\" not found", KubeStatus.Details(name, type.Group, type.Plural));

    public static ApiException NamespaceNotFound(string ns) =>
        new(404, "NotFound", $"namespaces \"{ns}\" not found", KubeStatus.Details(ns, "", "namespaces"));

    public static ApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedPlural} \"{name}\" already exists", KubeStatus.Details(name, type.Group, type.Plural));

    public static ApiException Conflict(ResourceType type, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedPlural} \"{name}\": {why}",
            KubeStatus.Details(name, type.Group, type.Plural));

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    /// <summary>422 Invalid, with one cause per field error, worded like the API server.</summary>
    public static ApiException Invalid(ResourceType type, string name, IReadOnlyList<FieldError> errors)
    {
        var details = KubeStatus.Details(name, type.Group, type.Kind);
        var causes = new JsonArray();
        foreach (var e in errors)
        {
            causes.Add(new JsonObject { ["reason"] = e.Reason, ["message"] = e.Message, ["field"] = e.Field });
        }

        details["causes"] = causes;
        var list = string.Join(", ", errors.Select(e => $"{e.Field}: {e.Message}"));
        var text = errors.Count == 1 ? list : $"[{list}]";
        var qualified = type.Group.Length == 0 ? type.Kind : $"{type.Kind}.{type.Group}";
        return new ApiException(422, "Invalid", $"{qualified} \"{name}\" is invalid: {text}", details);
    }
}

/// <summary>One field error, like Kubernetes' <c>field.Error</c>. Reason is e.g. FieldValueInvalid.</summary>
internal sealed record FieldError(string Field, string Reason, string Message)
{
    public static FieldError Required(string field, string? detail = null) =>
        new(field, "FieldValueRequired", detail is null ? "Required value" : $"Required value: {detail}");

    public static FieldError Invalid(string field, object? value, string detail) =>
        new(field, "FieldValueInvalid", $"Invalid value: {Quote(value)}: {detail}");

    public static FieldError NotSupported(string field, object? value, IEnumerable<string> allowed) =>
        new(field, "FieldValueNotSupported",
            $"Unsupported value: {Quote(value)}: supported values: {string.Join(", ", allowed.Select(a => $"\"{a}\""))}");

    public static FieldError Duplicate(string field, object? value) =>
        new(field, "FieldValueDuplicate", $"Duplicate value: {Quote(value)}");

    public static FieldError TypeInvalid(string field, object? value, string detail) =>
        new(field, "FieldValueTypeInvalid", $"Invalid value: {Quote(value)}: {detail}");

    public static FieldError Forbidden(string field, string detail) => new(field, "FieldValueForbidden", $"Forbidden: {detail}");

    private static string Quote(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        JsonNode n => n.ToJsonString(),
        _ => value.ToString() ?? "",
    };
}
