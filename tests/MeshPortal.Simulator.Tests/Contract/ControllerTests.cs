using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MeshPortal.Simulator.Tests.Support;

namespace MeshPortal.Simulator.Tests.Contract;

/// <summary>The cluster's controllers seen through the API: Deployments own pods, token Secrets get tokens, RBAC of service accounts.</summary>
public sealed class ControllerTests(ControllerTests.Fixture fx) : IClassFixture<ControllerTests.Fixture>
{
    public sealed class Fixture : MeshFixture
    {
        protected override SimulatorOptions Options() => new()
        {
            Clusters = 0,
            ClusterOverrides =
            [
                new SimulatedClusterOptions { Name = "legacy" },
                new SimulatedClusterOptions { Name = "modern", IstioVersion = "1.24.3" },
            ],
        };
    }

    [Fact]
    public async Task Rollout_restart_replaces_the_pod_and_the_deployment_reports_the_rollout()
    {
        using var client = fx.Client("modern");
        var before = (await client.CoreV1.ListNamespacedPodAsync("bar", labelSelector: "app=httpbin")).Items.Single().Metadata.Name;
        var patch = new V1Patch("""{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-01-01T00:00:00Z"}}}}}""",
            V1Patch.PatchType.StrategicMergePatch);
        await client.AppsV1.PatchNamespacedDeploymentAsync(patch, "httpbin", "bar");

        var pods = (await client.CoreV1.ListNamespacedPodAsync("bar", labelSelector: "app=httpbin")).Items;
        var after = Assert.Single(pods);
        Assert.NotEqual(before, after.Metadata.Name);
        Assert.Equal("2026-01-01T00:00:00Z", after.Metadata.Annotations["kubectl.kubernetes.io/restartedAt"]);
        Assert.Contains(after.Spec.Containers, c => c.Name == "istio-proxy");
        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync("httpbin", "bar");
        Assert.Equal(deployment.Metadata.Generation, deployment.Status.ObservedGeneration);
        Assert.Equal((1, 1, 1), (deployment.Status.UpdatedReplicas, deployment.Status.ReadyReplicas, deployment.Status.AvailableReplicas));
    }

    [Fact]
    public async Task A_deleted_pod_comes_back_under_a_new_name()
    {
        using var client = fx.Client("legacy");
        var pod = (await client.CoreV1.ListNamespacedPodAsync("foo", labelSelector: "app=sleep")).Items.Single().Metadata.Name;
        await client.CoreV1.DeleteNamespacedPodAsync(pod, "foo");

        var replacement = (await client.CoreV1.ListNamespacedPodAsync("foo", labelSelector: "app=sleep")).Items.Single();
        Assert.NotEqual(pod, replacement.Metadata.Name);
        Assert.StartsWith("sleep-", replacement.Metadata.Name);
    }

    [Fact]
    public async Task Deployments_count_only_their_own_pods_through_scaling_and_a_name_that_prefixes_another()
    {
        using var client = fx.Client("legacy");
        V1Deployment Deployment(string name, int replicas) => new()
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "docker.io/kennethreitz/httpbin" }] },
                },
            },
        };
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", 2), "foo");
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web-api", 3), "foo");
        async Task<(int Web, int Api)> ReadyAsync() =>
            ((await client.AppsV1.ReadNamespacedDeploymentAsync("web", "foo")).Status.Replicas ?? 0,
             (await client.AppsV1.ReadNamespacedDeploymentAsync("web-api", "foo")).Status.Replicas ?? 0);
        Assert.Equal((2, 3), await ReadyAsync());

        await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"replicas":1}}""", V1Patch.PatchType.MergePatch), "web-api", "foo");
        Assert.Equal((2, 1), await ReadyAsync());
        Assert.Single((await client.CoreV1.ListNamespacedPodAsync("foo", labelSelector: "app=web-api")).Items);

        await client.AppsV1.DeleteNamespacedDeploymentAsync("web", "foo");
        Assert.Empty((await client.CoreV1.ListNamespacedPodAsync("foo", labelSelector: "app=web")).Items);
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", 1), "foo"); // the first pod's name comes back
        Assert.Equal((1, 1), await ReadyAsync());
    }

    [Fact]
    public async Task Kubernetes_before_1_24_gives_every_service_account_its_token_secret()
    {
        using var client = fx.Client("legacy");
        var sa = await client.CoreV1.ReadNamespacedServiceAccountAsync("istio-reader-service-account", "istio-system");
        var secret = await client.CoreV1.ReadNamespacedSecretAsync(Assert.Single(sa.Secrets).Name, "istio-system");
        Assert.Equal("kubernetes.io/service-account-token", secret.Type);
        Assert.True(secret.Data.ContainsKey("token") && secret.Data.ContainsKey("ca.crt"));

        using var modern = fx.Client("modern");
        Assert.Null((await modern.CoreV1.ReadNamespacedServiceAccountAsync("istio-reader-service-account", "istio-system")).Secrets);
    }

    [Fact]
    public async Task A_reader_token_reads_but_cannot_write_and_dies_with_its_secret()
    {
        using var client = fx.Client("modern");
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                Name = "istio-reader-service-account-istio-remote-secret-token",
                Annotations = new Dictionary<string, string> { ["kubernetes.io/service-account.name"] = "istio-reader-service-account" },
            },
            Type = "kubernetes.io/service-account-token",
        }, "istio-system");
        var filled = await client.CoreV1.ReadNamespacedSecretAsync("istio-reader-service-account-istio-remote-secret-token", "istio-system");
        var token = Encoding.UTF8.GetString(filled.Data["token"]);
        Assert.Equal(3, token.Split('.').Length);

        var cluster = fx.Mesh["modern"];
        using var reader = TestHttp.For(cluster, token);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(new Uri(cluster.Server, "/api/v1/namespaces/bar/pods"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(new Uri(cluster.Server, "/apis/networking.istio.io/v1/gateways"))).StatusCode);
        var write = await reader.PostAsJsonAsync(new Uri(cluster.Server, "/api/v1/namespaces/bar/configmaps"),
            new { apiVersion = "v1", kind = "ConfigMap", metadata = new { name = "x" } });
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        var status = JsonNode.Parse(await write.Content.ReadAsStringAsync())!;
        Assert.Equal("configmaps is forbidden: User \"system:serviceaccount:istio-system:istio-reader-service-account\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"bar\"",
            (string?)status["message"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync(new Uri(cluster.Server, "/api/v1/namespaces/bar/configmaps"))).StatusCode);

        await client.CoreV1.DeleteNamespacedSecretAsync("istio-reader-service-account-istio-remote-secret-token", "istio-system");
        Assert.Equal(HttpStatusCode.Unauthorized, (await reader.GetAsync(new Uri(cluster.Server, "/api/v1/namespaces/bar/pods"))).StatusCode);
    }

    [Fact]
    public async Task Token_request_gives_a_bound_token_and_the_reader_fault_revokes_reader_tokens()
    {
        var cluster = fx.Mesh["modern"];
        using var admin = TestHttp.For(cluster);
        var response = await admin.PostAsJsonAsync(new Uri(cluster.Server, "/api/v1/namespaces/istio-system/serviceaccounts/istio-reader-service-account/token"),
            new { apiVersion = "authentication.k8s.io/v1", kind = "TokenRequest", spec = new { expirationSeconds = 3600 } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var token = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!["token"]!;
        using var reader = TestHttp.For(cluster, token);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(new Uri(cluster.Server, "/api/v1/services"))).StatusCode);

        cluster.Faults.ReaderTokensRevoked = true;
        try
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await reader.GetAsync(new Uri(cluster.Server, "/api/v1/services"))).StatusCode);
        }
        finally
        {
            cluster.Faults.ReaderTokensRevoked = false;
        }

        var tooShort = await admin.PostAsJsonAsync(new Uri(cluster.Server, "/api/v1/namespaces/istio-system/serviceaccounts/istio-reader-service-account/token"),
            new { spec = new { expirationSeconds = 60 } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooShort.StatusCode);
    }

    [Fact]
    public async Task Istiod_down_refuses_injected_pods_and_keeps_plain_ones()
    {
        var cluster = fx.Mesh["legacy"];
        using var client = fx.Client("legacy");
        cluster.Faults.IstiodDown = true;
        try
        {
            var istiod = (await client.CoreV1.ListNamespacedPodAsync("istio-system", labelSelector: "app=istiod")).Items.Single();
            Assert.Equal("False", istiod.Status.Conditions.Single(c => c.Type == "Ready").Status);
            var pod = new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = "injected" },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "curl" }] },
            };
            var e = await ApiAssert.FailsWith(HttpStatusCode.InternalServerError, () => client.CoreV1.CreateNamespacedPodAsync(pod, "foo"));
            Assert.StartsWith("Internal error occurred: failed calling webhook \"namespace.sidecar-injector.istio.io\"", (string?)e["message"]);
            await client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        }
        finally
        {
            cluster.Faults.IstiodDown = false;
        }

        Assert.Equal("True", (await client.CoreV1.ListNamespacedPodAsync("istio-system", labelSelector: "app=istiod")).Items.Single().Status.Conditions.Single(c => c.Type == "Ready").Status);
    }
}
