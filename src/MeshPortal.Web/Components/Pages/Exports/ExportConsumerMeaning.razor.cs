using MeshPortal.Core.Features.Exports;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages.Exports;

public partial class ExportConsumerMeaning
{
    [Inject] public required ExportQueries Queries { get; init; }

    [Parameter] public string? Cluster { get; set; }
    [Parameter] public string? Namespace { get; set; }
    [Parameter] public string? Service { get; set; }
    [Parameter] public bool AllConsumers { get; set; }
    [Parameter] public IReadOnlyCollection<string> Consumers { get; set; } = [];

    /// <summary>An existing export's move phase: once moved, its movable consumers call the multi-primary name.</summary>
    [Parameter] public MeshPortal.Core.Features.Exports.ExportMovePhase MovePhase { get; set; }

    private ExportNaming? naming;
    private string? key;

    protected override async Task OnParametersSetAsync()
    {
        var now = $"{Cluster}|{Namespace}|{Service}|{AllConsumers}|{string.Join(",", Consumers.Order(StringComparer.Ordinal))}|{MovePhase}";
        if (now == key)
        {
            return;
        }

        key = now;
        naming = string.IsNullOrEmpty(Cluster) || string.IsNullOrEmpty(Namespace) || string.IsNullOrEmpty(Service)
            ? null
            : await Queries.NamingAsync(Cluster, Namespace, Service, AllConsumers, Consumers, CancellationToken.None, MovePhase);
    }
}
