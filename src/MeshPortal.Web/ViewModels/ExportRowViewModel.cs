using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Sync;
using MudBlazor;

namespace MeshPortal.Web.ViewModels;

/// <summary>One consumer chip of an export row: its cluster, state, and the detail (reason and times) that pressing it shows.</summary>
public sealed record ConsumerChipViewModel(string Cluster, string State, string Detail);

/// <summary>One row of the exports list; pure mapping from <see cref="ExportView"/>.</summary>
public sealed record ExportRowViewModel(
    int Id,
    string Host,
    string Address,
    string Cluster,
    string Service,
    string Ports,
    string ConsumerScope,
    IReadOnlyList<ConsumerChipViewModel> Consumers,
    string? Team = null)
{
    public static ExportRowViewModel From(ExportView e, DateTimeOffset now) => new(
        e.Id,
        e.Host,
        e.Address,
        e.Cluster,
        $"{e.Namespace}/{e.Service}",
        string.Join(", ", e.Ports.Select(p => $"{p.Number}/{p.Protocol} ({p.Name})")),
        e.AllConsumers ? "all other clusters" : $"{e.Consumers.Count} chosen cluster(s)",
        [.. e.Consumers.Select(c => Chip(c, now))],
        e.OwnerTeam);

    public static ConsumerChipViewModel Chip(ConsumerStatus c, DateTimeOffset now)
    {
        var detail = string.Join(" · ", new[]
        {
            c.Message,
            $"last attempt {StatusPresentation.Ago(c.LastAttemptAt, now)}",
            $"last success {StatusPresentation.Ago(c.LastSyncedAt, now)}",
        }.Where(s => !string.IsNullOrEmpty(s)));
        return new ConsumerChipViewModel(c.Cluster, c.State.ToString(), detail); // colour and icon: the state's class (ExportList.razor.css)
    }

    /// <summary>The unexport confirmation: which clusters lose the entry.</summary>
    public static string UnexportQuestion(ExportView e) => e.Consumers.Count == 0
        ? $"Unexport {e.Host}? No cluster consumes it; its address {e.Address} becomes free."
        : $"Unexport {e.Host}? {string.Join(", ", e.Consumers.Select(c => c.Cluster))} will lose the ServiceEntry and can no longer call it; its address {e.Address} becomes free.";
}
