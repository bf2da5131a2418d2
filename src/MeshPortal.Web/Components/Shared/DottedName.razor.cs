using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Shared;

public partial class DottedName
{
    private string[] parts = [];

    [Parameter, EditorRequired] public required string? Value { get; set; }

    /// <summary>The parts with their dot kept at the end ("cluster." "registered"); a &lt;wbr&gt; follows each dot.</summary>
    protected override void OnParametersSet()
    {
        var split = (Value ?? "").Split('.');
        parts = [.. split.Select((p, i) => i < split.Length - 1 ? p + "." : p)];
    }
}
