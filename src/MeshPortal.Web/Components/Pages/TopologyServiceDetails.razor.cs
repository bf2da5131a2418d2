using System.Globalization;
using MeshPortal.Core.Features.Topology;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages;

public partial class TopologyServiceDetails
{
    private const double CW = 340;
    private const double CH = 90;

    [Parameter, EditorRequired] public required string Source { get; set; }
    [Parameter, EditorRequired] public required string Target { get; set; }
    [Parameter, EditorRequired] public required ServiceRow Row { get; set; }
    [Parameter] public HistoryChartView? Chart { get; set; }
    [Parameter] public IReadOnlyList<HistoryPoint> Recent { get; set; } = [];
    [Parameter] public DateTimeOffset Now { get; set; }

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
