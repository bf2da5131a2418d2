using MeshPortal.Core.Features.Clusters;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Shared;

public partial class CheckStageList
{
    [Parameter, EditorRequired] public required IReadOnlyList<CheckStage> Stages { get; set; }

    public static string ResultText(CheckResult result) => result switch
    {
        CheckResult.Pass => "Passed",
        CheckResult.Fail => "Failed",
        _ => "Skipped",
    };
}
