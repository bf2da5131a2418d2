namespace MeshPortal.Core.Features.Trust;

/// <summary>Field errors of a rejected trust request (field name → messages); empty when valid.</summary>
public sealed class CaValidation
{
    private readonly Dictionary<string, List<string>> errors = [];

    public bool IsValid => errors.Count == 0;

    public IReadOnlyDictionary<string, string[]> Errors => errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public CaValidation Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.Add(message);
        return this;
    }

    public bool Has(string field) => errors.ContainsKey(field);

    public static CaValidation Of(string field, string message) => new CaValidation().Add(field, message);
}
