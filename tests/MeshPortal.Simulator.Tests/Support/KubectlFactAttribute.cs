namespace MeshPortal.Simulator.Tests.Support;

/// <summary>A fact that is skipped when <c>/usr/bin/kubectl</c> is not installed.</summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public const string Path = "/usr/bin/kubectl";

    public KubectlFactAttribute()
    {
        if (!File.Exists(Path))
        {
            Skip = $"{Path} is not installed";
        }
    }
}
