using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages;

/// <summary>One of the Overview's counters: a number and what it counts, linking to the list it was counted from.</summary>
public sealed partial class OverviewCounter
{
    [Parameter, EditorRequired] public required string Href { get; set; }

    [Parameter, EditorRequired] public required int Value { get; set; }

    [Parameter, EditorRequired] public required string Label { get; set; }

    /// <summary><c>error</c>, <c>warning</c> or none.</summary>
    [Parameter] public string? Tone { get; set; }
}
