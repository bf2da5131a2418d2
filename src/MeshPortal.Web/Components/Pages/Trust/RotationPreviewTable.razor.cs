using MeshPortal.Core.Features.Trust;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages.TrustParts;

public partial class RotationPreviewTable
{
    [Parameter, EditorRequired] public required RotationPlan Plan { get; set; }

    private bool expanded;

    /// <summary>The step in the words of the page's button, not its API name ("switch").</summary>
    public static string StepName(string? step) => step switch
    {
        RotationPreview.Start => "phase 1 (add a new root)",
        RotationPreview.Switch => "phase 2 (switch intermediates)",
        RotationPreview.Finish => "phase 3 (remove the old root)",
        _ => "the next step",
    };
}
