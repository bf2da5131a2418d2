using MeshPortal.Core.Features.Exports;
using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages.Exports;

public partial class ExportConsumerNames
{
    [Parameter, EditorRequired] public required ExportView Export { get; set; }

    private ExportNamesViewModel model = null!;

    protected override void OnParametersSet() => model = ExportNamesViewModel.From(Export);
}
