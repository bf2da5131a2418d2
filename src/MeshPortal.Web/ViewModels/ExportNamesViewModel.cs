using MeshPortal.Core.Features.Exports;

namespace MeshPortal.Web.ViewModels;

/// <summary>One name an export is called by and the consumers that call it so.</summary>
public sealed record ExportNameLine(string Host, string Model, IReadOnlyList<string> Consumers);

/// <summary>
/// The names an export's consumers use (grouped by name: the <c>.global</c> host, the modern <c>.svc.cluster.local</c> or
/// <c>.svc.clusterset.local</c> name), the source cluster(s) and what the consumer list means. Pure mapping.
/// </summary>
public sealed record ExportNamesViewModel(IReadOnlyList<ExportNameLine> Lines, string Sources, string? Meaning)
{
    public static ExportNamesViewModel From(ExportView e)
    {
        var names = e.Naming?.Names ?? [];
        var lines = names.Where(n => n.Host is not null)
            .GroupBy(n => (n.Host!, n.Model))
            .OrderBy(g => g.Key.Model == ExportNamingRules.MultiPrimaryModel ? 0 : 1).ThenBy(g => g.Key.Item1, StringComparer.Ordinal)
            .Select(g => new ExportNameLine(g.Key.Item1, g.Key.Model, [.. g.Select(n => n.Cluster).Order(StringComparer.Ordinal)]))
            .ToList();
        return new ExportNamesViewModel(lines, string.Join(", ", e.Naming?.Sources ?? [e.Cluster]), e.Naming?.ConsumersMean);
    }

    /// <summary>True when some consumer uses another name than the <c>.global</c> host (the row then shows the names).</summary>
    public bool HasModernNames => Lines.Any(l => l.Model == ExportNamingRules.MultiPrimaryModel);
}
