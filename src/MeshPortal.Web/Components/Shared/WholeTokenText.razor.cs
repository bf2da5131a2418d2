using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Shared;

public partial class WholeTokenText
{
    [Parameter] public string? Text { get; set; }
}
