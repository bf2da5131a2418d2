using Microsoft.Extensions.Configuration.Memory;

namespace MeshPortal.Web.Hosting;

/// <summary>
/// The demo launch profile's settings as defaults, not overrides (issue 19). <c>dotnet run</c> gives a launch profile's
/// environment variables precedence over the caller's, so a profile that set <c>MeshPortal__DataDirectory</c> or an
/// <c>applicationUrl</c> silently beat the variables the README documents. The profile now sets only
/// <see cref="Variable"/>; the demo values go in here just above appsettings.json (whose production defaults they replace)
/// and below environment variables and the command line, which win; the listening address sits below everything, so
/// <c>ASPNETCORE_URLS</c> and <c>--urls</c> win too.
/// </summary>
internal static class LaunchDefaults
{
    public const string Variable = "MESHPORTAL_LAUNCH_DEFAULTS";
    public const string Demo = "demo";

    /// <summary>Where <c>dotnet run</c> starts the app (the project folder): the repository's <c>data/</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string?> DemoSettings = new Dictionary<string, string?>
    {
        ["MeshPortal:DataDirectory"] = "../../data",
        ["MeshPortal:Demo:Clusters"] = "3",
    };

    public const string DemoUrl = "http://localhost:5117";

    public static bool IsDemo => Environment.GetEnvironmentVariable(Variable) == Demo;

    /// <summary>Development unless the caller chose an environment (ASPNETCORE_ENVIRONMENT or DOTNET_ENVIRONMENT).</summary>
    public static WebApplicationOptions Options(string[] args) => new()
    {
        Args = args,
        EnvironmentName = IsDemo
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT"))
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT"))
            && !args.Any(a => a.StartsWith("--environment", StringComparison.OrdinalIgnoreCase))
                ? Environments.Development
                : null,
    };

    public static void Apply(WebApplicationBuilder builder)
    {
        if (!IsDemo)
        {
            return;
        }

        var sources = ((IConfigurationBuilder)builder.Configuration).Sources;
        var lastFile = sources.Select((source, index) => (source, index)).LastOrDefault(s => s.source is FileConfigurationSource).index;
        sources.Insert(lastFile + 1, new MemoryConfigurationSource { InitialData = DemoSettings });
        // ASPNETCORE_URLS is read by a source that comes before appsettings.json: the demo address goes below it.
        sources.Insert(0, new MemoryConfigurationSource { InitialData = new Dictionary<string, string?> { ["urls"] = DemoUrl } });
    }
}
