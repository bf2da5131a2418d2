using System.Text.RegularExpressions;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Probes;

/// <summary>A cluster's probe pod as set by a person: an existing pod (namespace + selector; null = default) or MeshPortal's own.</summary>
public sealed record ProbePodRequest(string? Namespace, string? LabelSelector, bool OwnPod);

/// <summary>The stored choice and what it resolves to.</summary>
public sealed record ProbePodView(string Cluster, string? Namespace, string? LabelSelector, bool OwnPod, ProbePodChoice Effective);

/// <summary>Reads a cluster's probe pod and validates a new choice (changing it is <c>SetProbePodCommand</c>).</summary>
public sealed partial class ProbePodSettings(IDbContextFactory<MeshPortalDbContext> dbFactory, IOptions<ProbeOptions> options)
{
    public const string Trigger = "probe-pod";

    public async Task<ProbePodView?> GetAsync(string cluster, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var c = await db.Clusters.AsNoTracking().SingleOrDefaultAsync(x => x.Name == cluster, ct);
        return c is null ? null : View(c);
    }

    /// <summary>What an existing-pod choice falls back to when namespace or selector is left empty.</summary>
    public ProbePodChoice Defaults(string cluster)
    {
        var o = options.Value.PodFor(cluster);
        return new ProbePodChoice(o.Namespace!, o.LabelSelector!, o.Container, false);
    }

    /// <summary>Namespace: a DNS label. Selector: <c>key=value</c> pairs separated by commas (what the probe lists pods with).</summary>
    public static Dictionary<string, string[]> Validate(ProbePodRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (Blank(request.Namespace) is { } ns && DnsLabel.Validate(ns, "namespace") is { } nsError)
        {
            errors["namespace"] = [nsError];
        }

        if (Blank(request.LabelSelector) is { } selector && !Selector().IsMatch(selector))
        {
            errors["labelSelector"] = [$"'{selector}' is not a label selector of the form key=value[,key=value]."];
        }

        return errors;
    }

    public ProbePodView View(ClusterEntity c) =>
        new(c.Name, c.ProbeNamespace, c.ProbeLabelSelector, c.ProbeOwnPod, ProbePodChoice.For(c, options.Value));

    public static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    [GeneratedRegex(@"^[A-Za-z0-9]([-A-Za-z0-9_./]{0,251}[A-Za-z0-9])?(!?=|==)[-A-Za-z0-9_.]{0,63}(,[A-Za-z0-9]([-A-Za-z0-9_./]{0,251}[A-Za-z0-9])?(!?=|==)[-A-Za-z0-9_.]{0,63})*$", RegexOptions.CultureInvariant)]
    private static partial Regex Selector();
}
