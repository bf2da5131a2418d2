using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshPortal.Tests.Web.Clusters;

[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed class ClusterApiTests(PortalFixture portal)
{
    private readonly HttpClient api = portal.CreateClient();

    [Fact]
    public async Task Register_SimulatedCluster_RunsEveryStageAndStoresFacts()
    {
        var name = "api-ok-" + Guid.NewGuid().ToString("N")[..6];
        var response = await api.PostAsJsonAsync("/api/v1/clusters", new
        {
            name,
            kubeconfig = portal.Mesh["cluster-1"].KubeconfigYaml,
            context = "cluster-1",
            network = "network1",
            region = "eu-west-1",
        });
        var body = await PortalApi.JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        Assert.Equal(name, (string?)body["name"]);
        Assert.Equal("Connected", (string?)body["status"]);
        Assert.Equal("1.6.8", (string?)body["istioVersion"]);
        Assert.StartsWith("203.0.113.", (string?)body["gatewayAddress"]);
        Assert.NotNull((string?)body["kubernetesVersion"]);
        var stages = body["checks"]!.AsArray().Select(s => (string?)s!["id"]).ToList();
        Assert.Equal(
            ["kubeconfig.parse", "api.reachable", "api.tls", "api.auth", "kubernetes.version", "istio.control-plane", "istio.gateway", "dns", "istio.mesh-model"],
            stages);
        Assert.All(body["checks"]!.AsArray(), s => Assert.Equal("pass", (string?)s!["result"]));

        var list = await PortalApi.JsonAsync(await api.GetAsync("/api/v1/clusters"));
        Assert.Contains(list.AsArray(), c => (string?)c!["name"] == name);

        var check = await api.PostAsync($"/api/v1/clusters/{name}/check", null);
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        var detail = await PortalApi.JsonAsync(await api.GetAsync($"/api/v1/clusters/{name}"));
        Assert.Equal(2, detail["history"]!.AsArray().Count);
        Assert.DoesNotContain(portal.Mesh["cluster-1"].Token, detail.ToJsonString());

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/clusters/{name}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/clusters/{name}")).StatusCode);
    }

    [Fact]
    public async Task Register_WrongToken_SavesClusterAsUnreachableWithHint()
    {
        var name = "api-auth-" + Guid.NewGuid().ToString("N")[..6];
        var kubeconfig = portal.Mesh["cluster-2"].KubeconfigYaml.Replace(portal.Mesh["cluster-2"].Token, "not-the-token");
        var response = await api.PostAsJsonAsync("/api/v1/clusters", new { name, kubeconfig, context = "cluster-2" });
        var body = await PortalApi.JsonAsync(response);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Unreachable", (string?)body["status"]);
        var auth = body["checks"]!.AsArray().Single(s => (string?)s!["id"] == "api.auth")!;
        Assert.Equal("fail", (string?)auth["result"]);
        Assert.False(string.IsNullOrEmpty((string?)auth["hint"]));
        Assert.Equal("skip", (string?)body["checks"]!.AsArray().Single(s => (string?)s!["id"] == "istio.control-plane")!["result"]);
        await api.DeleteAsync($"/api/v1/clusters/{name}");
    }

    public static TheoryData<string, string> BadInputs() => new()
    {
        { "name", "Not_A_Name" },
        { "kubeconfig", "malformed" },
        { "kubeconfig", "exec" },
        { "kubeconfig", "http" },
        { "kubeconfig", "huge" },
        { "context", "missing-context" },
        { "kubeconfig", "unclosed-flow-mapping" },
        { "kubeconfig", "crlf-token" },
        { "kubeconfig", "tab-context-name" },
        { "kubeconfig", "proxy-url" },
        { "context", "no-current-context" },
        { "kubeconfig", "metadata-address" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Register_BadInput_Returns400WithFieldErrorAndSavesNothing(string field, string kind)
    {
        var good = portal.Mesh["cluster-1"].KubeconfigYaml;
        var name = kind == "Not_A_Name" ? "Not_A_Name" : "bad-" + Guid.NewGuid().ToString("N")[..6];
        var context = kind switch { "missing-context" => "no-such-context", "no-current-context" => null, _ => "cluster-1" };
        var token = portal.Mesh["cluster-1"].Token;
        var kubeconfig = kind switch
        {
            "malformed" => "apiVersion: v1\nclusters: [ {name: x\n",
            "unclosed-flow-mapping" => "apiVersion: v1\nkind: Config\nclusters: {name: x, cluster: {server: https://127.0.0.1:6443}\n",
            "crlf-token" => good.Replace($"\"{token}\"", $"\"{token}\\r\\nX-Injected: 1\""),
            "tab-context-name" => good.Replace("- name: \"cluster-1\"\n  context:", "- name: \"cluster-1\\t\"\n  context:"),
            "proxy-url" => good.Replace("    certificate-authority-data:", "    proxy-url: \"http://proxy.example:3128\"\n    certificate-authority-data:"),
            "no-current-context" => System.Text.RegularExpressions.Regex.Replace(good, "current-context: .*\n", ""),
            "metadata-address" => System.Text.RegularExpressions.Regex.Replace(good, "server: \"https://127\\.0\\.0\\.1:\\d+\"", "server: \"https://169.254.169.254:443\""),
            "exec" => good.Replace("token:", "exec:\n      command: /bin/evil\n      apiVersion: client.authentication.k8s.io/v1\n    token:"),
            "http" => good.Replace("https://", "http://"),
            "huge" => good + "\n# " + new string('x', 1024 * 1024 + 10),
            _ => good,
        };
        var before = (await PortalApi.JsonAsync(await api.GetAsync("/api/v1/clusters"))).AsArray().Count;

        var response = await api.PostAsJsonAsync("/api/v1/clusters", new { name, kubeconfig, context });
        var body = await PortalApi.JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body["errors"]?[field] is JsonArray { Count: > 0 }, body.ToJsonString());
        if (kind is not ("Not_A_Name" or "missing-context"))
        {
            Assert.NotEqual(good, kubeconfig); // the corpus really changes the kubeconfig
        }

        var message = body["errors"]![field]![0]!.ToString();
        var expected = kind switch
        {
            "crlf-token" => "users[0].user.token contains a control character",
            "tab-context-name" => "contexts[0].name contains a control character",
            "proxy-url" => "cannot use a proxy",
            "no-current-context" => "no current-context",
            "unclosed-flow-mapping" => "malformed",
            "metadata-address" => "169.254.0.0/16",
            _ => "",
        };
        Assert.Contains(expected, message);
        Assert.Equal(before, (await PortalApi.JsonAsync(await api.GetAsync("/api/v1/clusters"))).AsArray().Count);
    }

    [Fact]
    public async Task Register_DuplicateName_Returns400()
    {
        var name = "dup-" + Guid.NewGuid().ToString("N")[..6];
        var request = new { name, kubeconfig = portal.Mesh["cluster-1"].KubeconfigYaml, context = "cluster-1" };
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/clusters", request)).StatusCode);
        var second = await api.PostAsJsonAsync("/api/v1/clusters", request);
        var body = await PortalApi.JsonAsync(second);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Contains("already registered", body["errors"]!["name"]![0]!.ToString());
        await api.DeleteAsync($"/api/v1/clusters/{name}");
    }

    [Fact]
    public async Task UnknownCluster_Returns404Problem()
    {
        var response = await api.GetAsync("/api/v1/clusters/does-not-exist");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync("/api/v1/clusters/does-not-exist/check", null)).StatusCode);
    }
}
