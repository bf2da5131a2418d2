using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Sync;

/// <summary>
/// One hash of everything a push compares for one cluster: the desired objects exactly as the planners produced them
/// (reference, source, mode, body) and their notes, and what the cluster holds (every listed managed object's identity and
/// resourceVersion, every read object's resourceVersion or its absence). The API server gives an object a new
/// resourceVersion on every write (a hand edit or a delete included), so two pushes with the same digest would compare
/// the same things and find the same answer: a push whose digest equals the one stored by the cluster's last run (which
/// stored it only if it found everything in sync) can skip the field-by-field diff and the per-object bookkeeping.
/// Items are hashed in the order given (planner order, the API server's list order, read order): the same inputs come in the
/// same order, and a different order only costs one full comparison.
/// </summary>
public static class SyncDigest
{
    /// <summary>The build's identity: a plan remembered by one build is not trusted by another (its planners may differ).</summary>
    private static readonly string Build = typeof(SyncDigest).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    /// <summary>32 lowercase hex digits (the first 128 bits of a SHA-256) over one planner's output and the cluster's state.</summary>
    public static string Of(IReadOnlyList<DesiredObject> desired, IEnumerable<string> notes, IReadOnlyList<LiveManagedObject> live,
        IReadOnlyDictionary<ObjectRef, JsonObject?> reads) => Of([OfPlan(desired, notes)], live, reads);

    /// <summary>The digest from each planner's <see cref="OfPlan"/> (in planner order) and what the cluster holds.</summary>
    public static string Of(IReadOnlyList<string> plans, IReadOnlyList<LiveManagedObject> live, IReadOnlyDictionary<ObjectRef, JsonObject?> reads)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(reads);
        using var items = new Items();
        foreach (var plan in plans)
        {
            items.Add(w =>
            {
                w.WriteStringValue("plan");
                w.WriteStringValue(plan);
            });
        }

        foreach (var o in live)
        {
            items.Add(w =>
            {
                w.WriteStringValue("live");
                WriteRef(w, o.Ref);
                WriteVersion(w, o.Body);
            });
        }

        AddReads(items, reads);
        return items.Hex();
    }

    /// <summary>
    /// The key of one planner's inputs for one push: the build, the planner's name and <see cref="IClusterPlanner.InputKey"/>,
    /// and every object read before planning (by resourceVersion, or its absence).
    /// </summary>
    public static string PlanKey(string planner, string inputKey, IReadOnlyDictionary<ObjectRef, JsonObject?> reads)
    {
        ArgumentNullException.ThrowIfNull(reads);
        using var items = new Items();
        items.Add(w =>
        {
            w.WriteStringValue("key");
            w.WriteStringValue(Build);
            w.WriteStringValue(planner);
            w.WriteStringValue(inputKey);
        });
        AddReads(items, reads);
        return items.Hex();
    }

    /// <summary>The hash of one planner's output: its objects exactly as produced (reference, source, mode, body) and its notes.</summary>
    public static string OfPlan(IReadOnlyList<DesiredObject> desired, IEnumerable<string> notes)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(notes);
        using var items = new Items();
        foreach (var d in desired)
        {
            items.Add(w =>
            {
                w.WriteStringValue("desired");
                WriteRef(w, d.Ref);
                w.WriteStringValue(d.Source);
                w.WriteNumberValue((int)d.Mode);
                d.Body.WriteTo(w);
            });
        }

        foreach (var note in notes)
        {
            items.Add(w =>
            {
                w.WriteStringValue("note");
                w.WriteStringValue(note);
            });
        }

        return items.Hex();
    }

    private static void AddReads(Items items, IReadOnlyDictionary<ObjectRef, JsonObject?> reads)
    {
        foreach (var (reference, body) in reads)
        {
            items.Add(w =>
            {
                w.WriteStringValue("read");
                WriteRef(w, reference);
                if (body is null)
                {
                    w.WriteNullValue();
                }
                else
                {
                    WriteVersion(w, body);
                }
            });
        }
    }

    /// <summary>Each item is one JSON array hashed on its own: the strings are JSON-escaped, so no two different items read alike.</summary>
    private sealed class Items : IDisposable
    {
        private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly ArrayBufferWriter<byte> buffer = new(4096);
        private readonly Utf8JsonWriter writer;

        public Items() => writer = new Utf8JsonWriter(buffer);

        public void Add(Action<Utf8JsonWriter> write)
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            writer.WriteStartArray();
            write(writer);
            writer.WriteEndArray();
            writer.Flush();
            hash.AppendData(buffer.WrittenSpan);
        }

        public string Hex()
        {
            Span<byte> digest = stackalloc byte[32];
            hash.GetHashAndReset(digest);
            return Convert.ToHexStringLower(digest[..16]);
        }

        public void Dispose()
        {
            writer.Dispose();
            hash.Dispose();
        }
    }

    private static void WriteRef(Utf8JsonWriter w, ObjectRef r)
    {
        w.WriteStringValue(r.Group);
        w.WriteStringValue(r.Version);
        w.WriteStringValue(r.Plural);
        w.WriteStringValue(r.Kind);
        w.WriteStringValue(r.Namespace);
        w.WriteStringValue(r.Name);
    }

    /// <summary>The resourceVersion; an object without one (never from a real API server) is hashed whole.</summary>
    private static void WriteVersion(Utf8JsonWriter w, JsonObject body)
    {
        if ((body["metadata"] as JsonObject)?["resourceVersion"] is JsonValue rv && rv.TryGetValue<string>(out var version) && version.Length > 0)
        {
            w.WriteStringValue(version);
        }
        else
        {
            body.WriteTo(w);
        }
    }
}
