using MeshPortal.Core.Features.Sync;

namespace MeshPortal.Core.Features.Exports;

/// <summary>The name one consumer cluster calls an export by, and in which model (<c>global</c>, <c>multi-primary</c>, or <c>none</c>).</summary>
public sealed record ConsumerName(string Cluster, string? Host, string Model);

/// <summary>
/// What an export means to its consumers: the name each consumer uses, the cluster(s) the endpoints come from, and what
/// the consumer list does (and does not do) in the model(s) the pairs use.
/// </summary>
public sealed record ExportNaming(IReadOnlyList<ConsumerName> Names, IReadOnlyList<string> Sources, string ConsumersMean);

/// <summary>
/// Per consumer: the <c>.global</c> host where the pair runs the <c>.global</c> model, <c>name.ns.svc.cluster.local</c> (or
/// <c>.svc.clusterset.local</c> where the consumer's istiod runs <c>ENABLE_MCS_HOST</c>) where it runs multi-primary, none
/// where nothing is pushed. The consumer list restricts traffic in no model (it chooses who gets DNS, ServiceEntries and
/// probes); in multi-primary every cluster of the mesh sees the service whatever the list says, and this says so. Pure.
/// </summary>
public static class ExportNamingRules
{
    public const string GlobalModel = "global";
    public const string MultiPrimaryModel = "multi-primary";
    public const string NoModel = "none";

    public static string ModernHost(string service, string @namespace, bool mcsHost) =>
        $"{service}.{@namespace}.svc.{(mcsHost ? "clusterset.local" : "cluster.local")}";

    public static ConsumerName NameFor(string globalHost, string @namespace, string service, ClusterTarget consumer, PairVerdict verdict) => verdict switch
    {
        { IsMultiPrimary: true } => new(consumer.Name, ModernHost(service, @namespace, consumer.Mesh?.McsHost == true), MultiPrimaryModel),
        { Support: PairSupport.Supported } => new(consumer.Name, globalHost, GlobalModel),
        _ => new(consumer.Name, null, NoModel),
    };

    /// <param name="scoped">the mesh setting "only exported services leave their cluster" (MeshPortal's serviceSettings) is on.</param>
    /// <param name="served">the other clusters seen running the Service (<see cref="ExportSourceRules"/>); they count only where a
    /// consumer uses the multi-primary name, since istiod merges them into that host, never into a <c>.global</c> one.</param>
    public static ExportNaming Decide(ExportSpec export, ClusterTarget exporter, IReadOnlyList<(ClusterTarget Consumer, PairVerdict Verdict)> consumers, bool scoped = false,
        IReadOnlyCollection<string>? served = null)
    {
        var names = consumers.Select(c => NameFor(export.Host, export.Namespace, export.Service, c.Consumer, c.Verdict))
            .OrderBy(n => n.Cluster, StringComparer.Ordinal).ToList();
        var sources = names.Any(n => n.Model == MultiPrimaryModel) ? ExportSourceRules.Order(exporter.Name, served ?? []) : [exporter.Name];
        return new ExportNaming(names, sources, Meaning(exporter, names, scoped));
    }

    /// <summary>What "consumers" means for this export, in plain words; never a restriction the traffic does not respect.</summary>
    public static string Meaning(ClusterTarget exporter, IReadOnlyList<ConsumerName> names, bool scoped = false)
    {
        var modern = names.Any(n => n.Model == MultiPrimaryModel);
        var global = names.Any(n => n.Model == GlobalModel);
        var parts = new List<string>();
        if (modern)
        {
            parts.Add(exporter.Mesh?.McsServiceDiscovery == true
                ? $"Multi-primary with MCS discovery: the ServiceExport in {exporter.Name} makes the service visible to every cluster of the mesh, " +
                  "not only the consumers listed. The list chooses which clusters get the DNS name and are probed; it does not restrict traffic."
                : scoped
                    ? "Multi-primary with MeshPortal's serviceSettings: services stay in their cluster unless exported, and this export lists the " +
                      "service as global in every cluster's mesh config, so every cluster of the mesh sees it (serviceSettings cannot name clusters). " +
                      "The consumer list chooses which clusters get the DNS name and are probed; it does not restrict traffic."
                    : $"Multi-primary: every cluster of the mesh already sees this service through the remote secrets. The consumer list chooses " +
                      "which clusters get the DNS name (a selector-less Service where they have no DNS capture) and are probed; it does not restrict traffic.");
        }

        if (global)
        {
            parts.Add("The .global model: the consumers listed get the ServiceEntry and the .global name and are probed.");
        }

        if (parts.Count == 0)
        {
            return "No consumer can carry this export yet (see each consumer's state).";
        }

        parts.Add($"To refuse callers, use an AuthorizationPolicy in {exporter.Name}.");
        return string.Join(" ", parts);
    }
}
