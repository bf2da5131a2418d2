using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages.Clusters;

public partial class MeshModelCard
{
    [Parameter] public MeshModelViewModel? Model { get; set; }
}
