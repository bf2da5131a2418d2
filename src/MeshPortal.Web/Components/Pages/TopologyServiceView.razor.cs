using System.Globalization;
using MeshPortal.Core.Features.Topology;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages;

public partial class TopologyServiceView
{
    private const double W = 1000;
    private const double L = 130;

    [Parameter, EditorRequired] public required ServiceDrillDownView View { get; set; }
    [Parameter] public string? SelectedService { get; set; }
    [Parameter] public EventCallback<string> OnSelectService { get; set; }
    [Parameter] public EventCallback OnBack { get; set; }

    private double Height => Math.Max(220, 60 + View.Rows.Count * 40);

    private double RowY(ServiceRow row) => 30 + row.Y * (Height - 60);

    private static string Short(ServiceRow row)
    {
        var text = $"{row.Host}:{row.Port}";
        return text.Length > 36 ? text[..35] + "…" : text;
    }

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
