using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages.TrustParts;

public partial class RootCard
{
    [Parameter, EditorRequired] public required RootCardModel Model { get; set; }
    [Parameter] public bool ShowDownload { get; set; } = true;
    [Parameter] public string TestId { get; set; } = "root-card";
}
