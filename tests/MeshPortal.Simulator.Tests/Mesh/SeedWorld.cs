using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Tests.Mesh;

/// <summary>
/// The seed's working setup, in a <see cref="FakeMesh"/>: two Istio 1.6.8 clusters sharing a root CA, kube-dns stubbing
/// <c>global</c> to istiocoredns, <c>sleep</c> in <c>foo</c>, <c>httpbin</c> in <c>bar</c> on 8000, and in cluster-1 the
/// <c>httpbin-bar</c> ServiceEntry for <c>httpbin.bar.global</c> (240.0.0.2) whose endpoint is cluster-2's gateway on 15443.
/// </summary>
internal static class SeedWorld
{
    public const string SleepPod = "sleep-6bdb595bcb-x7k2p";
    public const string HttpbinPod = "httpbin-779c54bf49-q9l4m";

    private static readonly Lazy<JsonObject[]> Cacerts = new(() =>
    [
        TestPki.CacertsSecret(TestPki.Intermediate(TestPki.SharedRoot, "cluster-1"), TestPki.SharedRoot),
        TestPki.CacertsSecret(TestPki.Intermediate(TestPki.SharedRoot, "cluster-2"), TestPki.SharedRoot),
        TestPki.CacertsSecret(TestPki.Intermediate(TestPki.OtherRoot, "cluster-2"), TestPki.OtherRoot),
    ]);

    /// <summary>cluster-2's cacerts with an intermediate from a different root.</summary>
    public static JsonObject ForeignCacerts => (JsonObject)Cacerts.Value[2].DeepClone();

    public static FakeMesh Build(string targetIstio = "1.6.8")
    {
        var mesh = new FakeMesh();
        for (var i = 1; i <= 2; i++)
        {
            var c = mesh.Add($"cluster-{i}", i == 2 ? targetIstio : "1.6.8");
            c.Put("", "services", Obj($$"""
                {"metadata":{"name":"istio-ingressgateway","namespace":"istio-system","labels":{"app":"istio-ingressgateway","istio":"ingressgateway"} },
                 "spec":{"type":"LoadBalancer","clusterIP":"10.96.1.{{i}}","selector":{"app":"istio-ingressgateway","istio":"ingressgateway"},
                   "ports":[{"name":"status-port","port":15021,"nodePort":31021},{"name":"http2","port":80,"nodePort":31080},
                            {"name":"https","port":443,"nodePort":31443},{"name":"tls","port":15443,"nodePort":31543}]},
                 "status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.{{i}}"}]} } }
                """));
            c.Put("", "pods", Pod("istio-system", "istio-ingressgateway-5d8f9c7b4-abcde", """{"app":"istio-ingressgateway","istio":"ingressgateway"}""", $"10.0.{i}.7", "istio-proxy"));
            c.Put("", "services", Obj("""{"metadata":{"name":"istiocoredns","namespace":"istio-system"},"spec":{"clusterIP":"10.96.0.53","ports":[{"name":"dns","port":53,"protocol":"UDP"}]}}"""));
            c.Put("", "configmaps", Obj("""{"metadata":{"name":"kube-dns","namespace":"kube-system"},"data":{"stubDomains":"{\"global\": [\"10.96.0.53\"]}\n"}}"""));
            c.Put("", "secrets", (JsonObject)Cacerts.Value[i - 1].DeepClone());
            c.Put("", "services", Obj("""{"metadata":{"name":"sleep","namespace":"foo"},"spec":{"clusterIP":"10.96.2.10","selector":{"app":"sleep"},"ports":[{"name":"http","port":80}]}}"""));
            c.Put("", "pods", Pod("foo", SleepPod, """{"app":"sleep"}""", $"10.0.{i}.5", "sleep", "istio-proxy"));
            c.Put("", "services", Obj("""{"metadata":{"name":"httpbin","namespace":"bar"},"spec":{"clusterIP":"10.96.3.20","selector":{"app":"httpbin"},"ports":[{"name":"http","port":8000,"targetPort":80}]}}"""));
            c.Put("", "pods", Pod("bar", HttpbinPod, """{"app":"httpbin","version":"v1"}""", $"10.0.{i}.6", "httpbin", "istio-proxy"));
        }

        mesh["cluster-1"].Put("networking.istio.io", "serviceentries", Obj("""
            {"apiVersion":"networking.istio.io/v1alpha3","kind":"ServiceEntry","metadata":{"name":"httpbin-bar","namespace":"foo"},
             "spec":{"hosts":["httpbin.bar.global"],"location":"MESH_INTERNAL","ports":[{"name":"http1","number":8000,"protocol":"http"}],
               "resolution":"DNS","addresses":["240.0.0.2"],"endpoints":[{"address":"203.0.113.2","ports":{"http1":15443}}]}}
            """));
        return mesh;
    }

    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    public static JsonObject Pod(string ns, string name, string labelsJson, string hostIp, params string[] containers)
    {
        var pod = Obj($$"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{name}}","namespace":"{{ns}}","labels":{{labelsJson}}},
             "spec":{"serviceAccountName":"{{name.Split('-')[0]}}","containers":[]},
             "status":{"phase":"Running","hostIP":"{{hostIp}}","podIP":"10.244.{{hostIp.Split('.')[2]}}.{{name.Length}}",
               "conditions":[{"type":"Ready","status":"True"}]} }
            """);
        foreach (var container in containers)
        {
            pod["spec"]!["containers"]!.AsArray().Add(new JsonObject { ["name"] = container, ["image"] = container });
        }

        return pod;
    }
}
