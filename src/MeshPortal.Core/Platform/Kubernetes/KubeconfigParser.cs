using System.Text;

namespace MeshPortal.Core.Platform.Kubernetes;

/// <summary>
/// Validates pasted kubeconfigs without touching the file system or running anything (unlike KubernetesClient's loader,
/// which reads referenced files and runs exec plugins). Pure; safe on hostile input.
/// </summary>
public static class KubeconfigParser
{
    public const int MaxBytes = 1024 * 1024;

    public static KubeconfigParseResult Parse(string? text, KubeconfigPolicy policy) => Parse(text, policy, null);

    /// <param name="context">The context to use; null means current-context, or the only context.</param>
    public static KubeconfigParseResult Parse(string? text, KubeconfigPolicy policy, string? context)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var (doc, errors) = ReadDocument(text);
        if (doc is null)
            return new(null, null, errors);

        var infos = new List<KubeconfigContextInfo>();
        foreach (var (name, item) in doc.Contexts)
            infos.Add(Describe(doc, name, (YMap)item.Get("context")!, policy, errors));
        var summary = new KubeconfigSummary(infos, doc.CurrentContext);

        var wanted = string.IsNullOrWhiteSpace(context) ? doc.CurrentContext : context.Trim();
        KubeconfigContextInfo? selected = null;
        if (wanted is null)
        {
            // Like kubectl: without a current-context nothing is guessed, not even the only context.
            if (infos.Count > 0)
                errors.Add(new(KubeconfigErrorCodes.ContextRequired,
                    $"Choose a context: the kubeconfig has no current-context, and its contexts are {Names(infos)}."));
        }
        else
        {
            selected = summary.Find(wanted);
            if (selected is null)
                errors.Add(new(KubeconfigErrorCodes.ContextNotFound,
                    $"The context '{wanted}' is not in the kubeconfig. Available contexts: {Names(infos)}."));
        }
        if (selected is not null)
            errors.AddRange(selected.Problems);
        return new(summary, selected, errors);
    }

    /// <summary>
    /// A minimal kubeconfig holding only <paramref name="context"/>, its cluster and its user (for storage).
    /// Throws <see cref="KubeconfigInvalidException"/> when the kubeconfig is refused under <paramref name="policy"/>.
    /// </summary>
    public static string ExtractContext(string text, string context, KubeconfigPolicy policy)
    {
        var result = Parse(text, policy, context);
        if (!result.IsValid)
            throw new KubeconfigInvalidException(result.Errors);
        var doc = ReadDocument(text).Doc!;
        var selected = result.Selected!;
        var entries = new List<KeyValuePair<string, YNode>>
        {
            new("apiVersion", SafeYamlWriter.Str("v1")),
            new("kind", SafeYamlWriter.Str("Config")),
            new("clusters", new YSeq(default, [doc.Clusters[selected.Cluster]])),
            new("contexts", new YSeq(default, [doc.Contexts[selected.Name]])),
            new("users", new YSeq(default, selected.User is null ? [] : [doc.Users[selected.User]])),
            new("current-context", SafeYamlWriter.Str(selected.Name)),
        };
        return SafeYamlWriter.Write(new YMap(default, entries));
    }

    private static string Names(IEnumerable<KubeconfigContextInfo> infos)
    {
        var names = infos.Select(i => i.Name).ToList();
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }

    private static KubeconfigContextInfo Describe(KubeconfigDocument doc, string name, YMap ctx, KubeconfigPolicy policy, List<KubeconfigError> errors)
    {
        var clusterName = ctx.Str("cluster") ?? "";
        var userName = ctx.Str("user");
        var problems = new List<KubeconfigError>();
        var info = new KubeconfigContextInfo(name, clusterName, userName, null, ctx.Str("namespace"));

        if (doc.Clusters.TryGetValue(clusterName, out var clusterItem) && clusterItem.Get("cluster") is YMap cluster)
        {
            KubeconfigRules.CheckCluster(clusterName, cluster, policy, problems);
            info = info with
            {
                Server = cluster.Str("server"),
                CertificateAuthorityData = KubeconfigRules.Decode(cluster, "certificate-authority-data"),
                TlsServerName = cluster.Str("tls-server-name"),
                InsecureSkipTlsVerify = KubeconfigRules.IsTrue(cluster.Str("insecure-skip-tls-verify")),
            };
        }
        else
        {
            errors.Add(new(KubeconfigErrorCodes.UnknownCluster,
                $"Context '{name}' refers to cluster '{clusterName}', which is not in the clusters list ({string.Join(", ", doc.Clusters.Keys)}).",
                ctx.Start.Line, ctx.Start.Column));
        }

        if (userName is not null)
        {
            if (doc.Users.TryGetValue(userName, out var userItem) && userItem.Get("user") is YMap user)
                info = info with { AuthKind = KubeconfigRules.CheckUser(userName, user, policy, problems) };
            else
                errors.Add(new(KubeconfigErrorCodes.UnknownUser,
                    $"Context '{name}' refers to user '{userName}', which is not in the users list ({string.Join(", ", doc.Users.Keys)}).",
                    ctx.Start.Line, ctx.Start.Column));
        }
        return info with { Problems = problems };
    }

    internal static (KubeconfigDocument? Doc, List<KubeconfigError> Errors) ReadDocument(string? text)
    {
        var errors = new List<KubeconfigError>();
        if (string.IsNullOrWhiteSpace(text))
            return (null, [new(KubeconfigErrorCodes.Empty, "The kubeconfig is empty. Paste the output of kubectl config view --raw --minify.")]);
        if (text.Length > MaxBytes || Encoding.UTF8.GetByteCount(text) > MaxBytes)
            return (null, [new(KubeconfigErrorCodes.TooLarge,
                $"The kubeconfig is larger than 1 MiB. Export only the context you need: kubectl config view --raw --minify --context <name>.")]);

        YNode? root;
        try
        {
            root = SafeYamlReader.Read(text);
        }
        catch (SafeYamlException ex)
        {
            return (null, [new(ex.Code, ex.Message, ex.At?.Line, ex.At?.Column)]);
        }
        if (root is not YMap map)
            return (null, [new(KubeconfigErrorCodes.Malformed, "This is not a kubeconfig: expected a YAML mapping with clusters, contexts and users.", root?.Start.Line, root?.Start.Column)]);
        KubeconfigRules.CheckControlCharacters(map, errors);
        if (map.Str("kind") is { } kind && kind != "Config")
            errors.Add(new(KubeconfigErrorCodes.Malformed, $"This is not a kubeconfig: its kind is '{kind}', expected 'Config'."));

        var clusters = Section(map, "clusters", "cluster", KubeconfigErrorCodes.MissingClusters, true, errors);
        var contexts = Section(map, "contexts", "context", KubeconfigErrorCodes.MissingContexts, true, errors);
        var users = Section(map, "users", "user", KubeconfigErrorCodes.MissingUsers, false, errors);
        if (clusters is null || contexts is null || users is null || errors.Count > 0)
            return (null, errors);
        return (new KubeconfigDocument(clusters, contexts, users, map.Str("current-context")), errors);
    }

    private static Dictionary<string, YMap>? Section(YMap root, string key, string inner, string missingCode, bool needsEntries, List<KubeconfigError> errors)
    {
        var node = root.Get(key);
        if (node is not YSeq seq || (needsEntries && seq.Items.Count == 0))
        {
            errors.Add(new(missingCode, $"The kubeconfig has no '{key}' list. Paste a complete kubeconfig (kubectl config view --raw --minify)."));
            return null;
        }
        var result = new Dictionary<string, YMap>(StringComparer.Ordinal);
        foreach (var item in seq.Items)
        {
            if (item is not YMap entry || entry.Str("name") is not { } name || entry.Get(inner) is not YMap)
            {
                errors.Add(new(KubeconfigErrorCodes.InvalidEntry,
                    $"An entry of '{key}' needs a 'name' and a '{inner}' mapping.", item.Start.Line, item.Start.Column));
                continue;
            }
            if (!result.TryAdd(name, entry))
                errors.Add(new(KubeconfigErrorCodes.DuplicateName, $"The name '{name}' appears twice in '{key}'.", item.Start.Line, item.Start.Column));
        }
        return result;
    }
}

internal sealed record KubeconfigDocument(
    Dictionary<string, YMap> Clusters, Dictionary<string, YMap> Contexts, Dictionary<string, YMap> Users, string? CurrentContext);
