namespace MeshPortal.Simulator.Exec.Curl;

/// <summary>The options of one curl invocation, as curl 7.69 understands them.</summary>
internal sealed class CurlOptions
{
    public const string Version = "7.69.1";

    public bool Head { get; set; }

    public bool Include { get; set; }

    public bool Silent { get; set; }

    public bool ShowError { get; set; }

    public bool Fail { get; set; }

    public bool Verbose { get; set; }

    /// <summary>-o target; null = stdout. The simulated pod has no filesystem: any file discards the body.</summary>
    public string? Output { get; set; }

    public string? WriteOut { get; set; }

    public double? MaxTime { get; set; }

    public double? ConnectTimeout { get; set; }

    public string? Method { get; set; }

    public string? Data { get; set; }

    public string UserAgent { get; set; } = $"curl/{Version}";

    public List<KeyValuePair<string, string>> Headers { get; } = [];

    public List<string> Urls { get; } = [];

    public string EffectiveMethod => Method ?? (Head ? "HEAD" : Data is not null ? "POST" : "GET");

    public bool OutputIsStdout => Output is null or "-";
}
