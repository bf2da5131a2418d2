using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;

namespace MeshPortal.Simulator.Validation;

/// <summary>
/// Validation on create/update: metadata rules for every object, plus the built-in kinds' rules. Custom resources are
/// validated against their CRD schema by <see cref="Admission.CustomResourceAdmission"/>.
/// </summary>
internal static class ObjectValidator
{
    public static List<FieldError> Validate(ResourceType type, JsonObject obj)
    {
        var errors = new List<FieldError>();
        var meta = obj["metadata"] as JsonObject;
        var name = (string?)meta?["name"] ?? "";
        errors.AddRange(NameRules.CheckObjectName("metadata.name", name, type.Plural));
        if (meta?["labels"] is JsonObject labels)
        {
            errors.AddRange(NameRules.CheckLabels("metadata.labels", labels.Select(p => KeyValuePair.Create(p.Key, p.Value?.ToString())), true));
        }

        if (meta?["annotations"] is JsonObject annotations)
        {
            errors.AddRange(NameRules.CheckLabels("metadata.annotations", annotations.Select(p => KeyValuePair.Create(p.Key, p.Value?.ToString())), false));
        }

        switch (type.Kind)
        {
            case "Service":
                errors.AddRange(ServicePorts(obj));
                break;
            case "ConfigMap" or "Secret":
                errors.AddRange(DataKeys(obj));
                break;
        }

        return errors;
    }

    private static IEnumerable<FieldError> ServicePorts(JsonObject obj)
    {
        if (obj["spec"]?["ports"] is not JsonArray ports)
        {
            yield break;
        }

        var names = new HashSet<string>();
        for (var i = 0; i < ports.Count; i++)
        {
            var field = $"spec.ports[{i}]";
            var port = ports[i] as JsonObject;
            var number = JsonNumbers.Int64(port?["port"]) ?? 0;
            if (number is < 1 or > 65535)
            {
                yield return FieldError.Invalid($"{field}.port", number, "must be between 1 and 65535, inclusive");
            }

            var name = (string?)port?["name"] ?? "";
            if (ports.Count > 1 && name.Length == 0)
            {
                yield return FieldError.Required($"{field}.name");
            }
            else if (name.Length > 0 && !names.Add(name))
            {
                yield return FieldError.Duplicate($"{field}.name", name);
            }
        }
    }

    private static IEnumerable<FieldError> DataKeys(JsonObject obj)
    {
        foreach (var section in new[] { "data", "binaryData" })
        {
            if (obj[section] is not JsonObject data)
            {
                continue;
            }

            foreach (var key in data.Select(p => p.Key))
            {
                if (key.Length is 0 or > 253 || key.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.')))
                {
                    yield return FieldError.Invalid($"{section}[{key}]", key,
                        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
                }
            }
        }
    }
}
