using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Shared;

public partial class RedirectToLogin
{
    [Inject] public required NavigationManager Navigation { get; init; }

    protected override void OnInitialized()
    {
        Navigation.NavigateTo(PortalUrls.Login("/" + Navigation.ToBaseRelativePath(Navigation.Uri)), forceLoad: true);
    }
}
