using System.Text;
using MeshPortal.Simulator.Api;
using Microsoft.Extensions.Configuration;

namespace MeshPortal.Simulator;

public sealed partial class SimulatorOptions
{
    /// <summary>
    /// Options bound from configuration (the portal binds its demo section the same way): <c>Clusters</c>, <c>NamePrefix</c>,
    /// <c>Defaults</c> and <c>ClusterOverrides</c> (lists of <see cref="SimulatedClusterOptions"/>), <c>AdminPort</c>. Unknown keys
    /// are refused with the key's path, so a misspelt setting cannot silently fall back to a default.
    /// </summary>
    public static SimulatorOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new SimulatorOptions();
        try
        {
            configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException(e.InnerException?.Message ?? e.Message, e);
        }

        return options;
    }

    /// <summary>Options from a YAML or JSON file with the same shape as <see cref="From(IConfiguration)"/>.</summary>
    public static SimulatorOptions Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"cannot read {path}: {e.Message}", e);
        }

        string json;
        try
        {
            json = YamlJson.Parse(text)?.ToJsonString() ?? "{}";
        }
        catch (ApiException e)
        {
            throw new ArgumentException($"{path} is not valid YAML or JSON: {e.Message}", e);
        }

        if (!json.StartsWith('{'))
        {
            throw new ArgumentException($"{path} must hold one mapping of options (Clusters, Defaults, ClusterOverrides, ...).");
        }

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return From(new ConfigurationBuilder().AddJsonStream(stream).Build());
    }
}
