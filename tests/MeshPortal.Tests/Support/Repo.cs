namespace MeshPortal.Tests.Support;

/// <summary>The checkout the tests were compiled from.</summary>
internal static class Repo
{
    /// <summary>The folder holding MeshPortal.sln (works whatever the output folder is).</summary>
    public static string Root([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        var dir = new DirectoryInfo(Path.GetDirectoryName(sourceFile)!);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MeshPortal.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("MeshPortal.sln not found above " + sourceFile);
    }
}
