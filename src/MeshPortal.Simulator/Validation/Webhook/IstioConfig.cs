using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Validation.Webhook;

/// <summary>The object as istiod's webhook decodes it (<c>config.Config</c>): metadata plus the spec, and the istiod version judging it.</summary>
internal sealed record IstioConfig(
    string Kind,
    string Name,
    string Namespace,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    JsonObject Spec,
    SimVersion Istio)
{
    /// <summary>True when istiod is Istio 1.<paramref name="minor"/>.<paramref name="patch"/> or newer.</summary>
    public bool AtLeast(int minor, int patch = 0) => Istio >= new SimVersion(1, minor, patch);
}
