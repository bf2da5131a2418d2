using MeshPortal.Core.Trust;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages.TrustParts;

public partial class IssuanceProgressBar
{
    [Parameter, EditorRequired] public required IssuanceSnapshot Snapshot { get; set; }
}
