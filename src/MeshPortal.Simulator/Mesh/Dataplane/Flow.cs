using MeshPortal.Simulator.Mesh.State;

namespace MeshPortal.Simulator.Mesh.Dataplane;

/// <summary>
/// One request on its way: who sends it (pod, resolved address) and how its answers look — a reply written by a proxy (at the client's
/// cluster or another, which decides the simulated time and the real wait), a connect timeout, a reset, or the app's answer.
/// </summary>
internal sealed class Flow(MeshRequest request, PodInfo pod, string address)
{
    public MeshRequest Request { get; } = request;

    public PodInfo Pod { get; } = pod;

    public string Address { get; } = address;

    private TimeSpan Latency => Request.Source.Faults.LinkLatency;

    private bool Local(SimulatedCluster at) => ReferenceEquals(at, Request.Source);

    /// <summary>x-envoy-upstream-service-time of an answer that came from <paramref name="at"/>.</summary>
    public int UpstreamMs(SimulatedCluster at) => Local(at) ? Timing.BaseMs(Request) : Timing.CrossClusterMs(Request);

    public MeshAnswer Reply(MeshVerdict verdict, string why, HttpReply reply, SimulatedCluster at) =>
        new(verdict, MeshTransport.Reply, why)
        {
            Address = Address,
            Reply = reply,
            Elapsed = Local(at) ? Timing.Local(Request) : Timing.CrossCluster(Request),
            RealDelay = Local(at) ? TimeSpan.Zero : Latency,
        };

    /// <summary>A 503 the client sidecar writes after the upstream failed (refused or closed: at once).</summary>
    public MeshAnswer Fail(MeshVerdict verdict, string why, string body, SimulatedCluster at) =>
        Reply(verdict, why, EnvoyReplies.ServiceUnavailable(body, Request.Now), at);

    /// <summary>The upstream never answers: Envoy's connect timeout (10 s simulated), then 503 connection failure.</summary>
    public MeshAnswer Timeout(MeshVerdict verdict, string why) =>
        new(verdict, MeshTransport.Reply, why)
        {
            Address = Address,
            Reply = EnvoyReplies.ServiceUnavailable(EnvoyReplies.ConnectionFailure, Request.Now),
            Elapsed = EnvoyReplies.ConnectTimeout + Latency,
            RealDelay = Latency,
        };

    /// <summary>
    /// Traffic to an address nothing serves. Without a sidecar the SYN is dropped (curl's connect hangs). With one, the sidecar
    /// accepts, its passthrough cannot connect upstream, and after Envoy's connect timeout it resets the client connection.
    /// </summary>
    public MeshAnswer Unroutable(MeshVerdict verdict, string why, bool sidecar) =>
        new(verdict, sidecar ? MeshTransport.Reset : MeshTransport.ConnectHang, why)
        {
            Address = Address,
            Elapsed = EnvoyReplies.ConnectTimeout,
            RealDelay = Latency,
        };

    /// <summary>The app answers (httpbin), through the sidecars when the client has one.</summary>
    public MeshAnswer Ok(SimulatedCluster at, PodInfo target, string? principal, string why)
    {
        var reply = Pod.HasSidecar
            ? HttpbinApp.Respond(Request, Timing.SidecarHeaders(Request, Pod, target, principal), UpstreamMs(at))
            : HttpbinApp.Respond(Request, [], null);
        return Reply(MeshVerdict.Ok, why, reply, at);
    }
}
