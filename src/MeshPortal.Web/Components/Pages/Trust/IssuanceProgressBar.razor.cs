using MeshPortal.Core.Features.Trust;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages.TrustParts;

public partial class IssuanceProgressBar
{
    [Parameter, EditorRequired] public required IssuanceSnapshot Snapshot { get; set; }
}
