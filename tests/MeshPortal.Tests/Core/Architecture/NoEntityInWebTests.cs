using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace MeshPortal.Tests.Core.Architecture;

/// <summary>
/// "Read models, not EF entities, leave Core" (issue 12), enforced on the compiled Web assembly rather than grepped in its
/// source: a grep misses an entity that reaches Web through <c>var</c>, a tuple or a method's return type. The compiler
/// writes every type a Web method names, calls into or receives (including through <c>var</c>) into the assembly's
/// TypeRef table, so a Core type named <c>*Entity</c> there means some Core API handed Web an entity. The test names
/// the members whose signatures carry it, so the message says which API to change.
/// </summary>
[Trait("Speed", "Fast")]
public sealed class NoEntityInWebTests
{
    /// <summary>Entities Web still receives, and why; may only shrink (a type that no longer appears must leave this list).</summary>
    private static readonly HashSet<string> Known = [];

    [Fact]
    public void Web_receives_no_Core_entity_type()
    {
        var found = EntityReferences(typeof(MeshPortal.Web.Api.ClusterDto).Assembly.Location);

        var unexpected = found.Where(f => !Known.Contains(f.Key)).Select(f => $"{f.Key} (through {string.Join(", ", f.Value)})").ToList();
        Assert.True(unexpected.Count == 0, "Core hands Web an EF entity; return a read model (a record) instead: " + string.Join("; ", unexpected));
        var gone = Known.Where(k => !found.ContainsKey(k)).ToList();
        Assert.True(gone.Count == 0, "No longer referenced by Web; remove from Known: " + string.Join(", ", gone));
    }

    [Fact]
    public void The_check_sees_an_entity_that_arrives_only_through_var()
    {
        // This test assembly receives ClusterEntity through var only (no source line names it), and the check still finds it.
        var found = EntityReferences(typeof(NoEntityInWebTests).Assembly.Location);

        Assert.Contains("MeshPortal.Core.Features.Clusters.ClusterEntity", found.Keys);
        Assert.Contains(found["MeshPortal.Core.Features.Clusters.ClusterEntity"], m => m.Contains("ClusterView.From", StringComparison.Ordinal));
    }

    /// <summary>Not a test: keeps one use of an entity through <c>var</c> in this assembly for the test above.</summary>
    internal static object ViaVar() { var view = MeshPortal.Core.Features.Clusters.ClusterView.From; return view; }

    /// <summary>Every Core <c>*Entity</c> type the assembly references, with the Core members whose signatures carry it.</summary>
    internal static Dictionary<string, SortedSet<string>> EntityReferences(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var md = pe.GetMetadataReader();
        var found = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var handle in md.TypeReferences)
        {
            var name = FullName(md, handle);
            if (IsCoreEntity(name))
            {
                found[name] = new SortedSet<string>(StringComparer.Ordinal);
            }
        }

        var names = new TypeNames(md);
        foreach (var handle in md.MemberReferences)
        {
            var member = md.GetMemberReference(handle);
            var owner = member.Parent.Kind switch
            {
                HandleKind.TypeReference => FullName(md, (TypeReferenceHandle)member.Parent),
                HandleKind.TypeSpecification => md.GetTypeSpecification((TypeSpecificationHandle)member.Parent).DecodeSignature(names, null),
                _ => null,
            };
            if (owner is null || !owner.StartsWith("MeshPortal.Core.", StringComparison.Ordinal))
            {
                continue;
            }

            var signature = member.GetKind() == MemberReferenceKind.Method
                ? string.Join(",", member.DecodeMethodSignature(names, null) is var m ? m.ParameterTypes.Append(m.ReturnType) : [])
                : member.DecodeFieldSignature(names, null);
            foreach (var entity in found.Keys.Where(e => (owner + "|" + signature).Contains(e, StringComparison.Ordinal)))
            {
                found[entity].Add(owner[(owner.LastIndexOf('.') + 1)..] + "." + md.GetString(member.Name));
            }
        }

        return found;
    }

    private static bool IsCoreEntity(string name) =>
        name.StartsWith("MeshPortal.Core.", StringComparison.Ordinal) && name.EndsWith("Entity", StringComparison.Ordinal);

    private static string FullName(MetadataReader md, TypeReferenceHandle handle)
    {
        var type = md.GetTypeReference(handle);
        var name = md.GetString(type.Name);
        return type.ResolutionScope.Kind == HandleKind.TypeReference
            ? FullName(md, (TypeReferenceHandle)type.ResolutionScope) + "+" + name
            : md.GetString(type.Namespace) + "." + name;
    }

    /// <summary>Type names of a signature, as text: enough to see which entity a member's parameters or result carry.</summary>
    private sealed class TypeNames(MetadataReader md) : ISignatureTypeProvider<string, object?>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            reader.GetString(reader.GetTypeDefinition(handle).Namespace) + "." + reader.GetString(reader.GetTypeDefinition(handle).Name);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => FullName(md, handle);
        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetPinnedType(string elementType) => elementType;
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType + "<" + string.Join(",", typeArguments) + ">";
        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;
        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;
        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
    }
}
