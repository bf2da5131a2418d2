using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;

namespace MeshPortal.Simulator.Store;

/// <summary>
/// Sees every change of a store, inside its gate: <see cref="BeforePut"/> may refuse a write (an admission webhook) or add to the
/// object (what a mutating webhook adds after validation); <see cref="Changed"/> runs the cluster's controllers.
/// </summary>
internal interface IStoreObserver
{
    void BeforePut(ResourceType type, JsonObject? old, JsonObject next);

    void Changed(ResourceType type, JsonObject? old, JsonObject? next);
}

/// <summary>
/// The objects of one simulated cluster, stored independently of the API version they were written with.
/// Callers take <see cref="Gate"/> around every read-modify-write; the methods here do no locking and no copying.
/// </summary>
internal sealed class ObjectStore
{
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _buckets = new(StringComparer.Ordinal);
    private long _resourceVersion;

    public Lock Gate { get; } = new();

    /// <summary>The cluster's controllers; null for a bare store.</summary>
    public IStoreObserver? Observer { get; set; }

    /// <summary>The newest resourceVersion handed out (per cluster, like etcd's revision).</summary>
    public long ResourceVersion => Interlocked.Read(ref _resourceVersion);

    public long NextResourceVersion() => Interlocked.Increment(ref _resourceVersion);

    public static string Key(string? ns, string name) => ns is null ? name : $"{ns}/{name}";

    public JsonObject? Find(ResourceType type, string? ns, string name) =>
        _buckets.TryGetValue(type.StorageKey, out var bucket) && bucket.TryGetValue(Key(ns, name), out var obj) ? obj : null;

    public void Put(ResourceType type, string? ns, string name, JsonObject obj)
    {
        if (!_buckets.TryGetValue(type.StorageKey, out var bucket))
        {
            bucket = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _buckets[type.StorageKey] = bucket;
        }

        var key = Key(ns, name);
        bucket.TryGetValue(key, out var old);
        Observer?.BeforePut(type, old, obj);
        bucket[key] = obj;
        Observer?.Changed(type, old, obj);
    }

    public bool Remove(ResourceType type, string? ns, string name)
    {
        if (!_buckets.TryGetValue(type.StorageKey, out var bucket) || !bucket.Remove(Key(ns, name), out var old))
        {
            return false;
        }

        Observer?.Changed(type, old, null);
        return true;
    }

    /// <summary>Objects of one type in key order, optionally within one namespace and after a key.</summary>
    public IEnumerable<KeyValuePair<string, JsonObject>> Scan(ResourceType type, string? ns, string? after = null)
    {
        if (!_buckets.TryGetValue(type.StorageKey, out var bucket))
        {
            yield break;
        }

        var prefix = ns is null ? null : ns + "/";
        foreach (var pair in bucket)
        {
            if (prefix is not null && !pair.Key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (after is not null && string.CompareOrdinal(pair.Key, after) <= 0)
            {
                continue;
            }

            yield return pair;
        }
    }

    /// <summary>Removes every namespaced object in <paramref name="ns"/> (namespace deletion).</summary>
    public int RemoveNamespaceContents(string ns)
    {
        var prefix = ns + "/";
        var removed = new List<(string Bucket, JsonObject Old)>();
        foreach (var (bucketKey, bucket) in _buckets)
        {
            foreach (var key in bucket.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                bucket.Remove(key, out var old);
                removed.Add((bucketKey, old!));
            }
        }

        if (Observer is { } observer && Types is { } types)
        {
            foreach (var (bucketKey, old) in removed)
            {
                if (types(bucketKey) is { } type)
                {
                    observer.Changed(type, old, null);
                }
            }
        }

        return removed.Count;
    }

    /// <summary>Finds the resource type of a storage bucket key (for change notifications of namespace deletion).</summary>
    public Func<string, ResourceType?>? Types { get; set; }

    public int Count => _buckets.Values.Sum(b => b.Count);
}
