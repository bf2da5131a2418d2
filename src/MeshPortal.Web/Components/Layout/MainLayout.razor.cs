using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Layout;

public partial class MainLayout
{
    private bool drawerOpen = true;
}
