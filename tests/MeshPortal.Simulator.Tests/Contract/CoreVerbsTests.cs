using System.Net;
using k8s;
using k8s.Models;
using MeshPortal.Simulator.Tests.Support;

namespace MeshPortal.Simulator.Tests.Contract;

/// <summary>Every verb on core resources through the real KubernetesClient over HTTPS with CA validation.</summary>
public sealed class CoreVerbsTests(MeshFixture fx) : IClassFixture<MeshFixture>
{
    [Fact]
    public async Task Lists_seeded_namespaces_and_pods_with_a_list_resourceVersion()
    {
        using var client = fx.Client();
        var namespaces = await client.CoreV1.ListNamespaceAsync();
        Assert.Superset(new HashSet<string> { "default", "kube-system", "istio-system", "foo", "bar" },
            namespaces.Items.Select(n => n.Metadata.Name).ToHashSet());
        Assert.False(string.IsNullOrEmpty(namespaces.Metadata.ResourceVersion));
        var foo = namespaces.Items.Single(n => n.Metadata.Name == "foo");
        Assert.Equal("enabled", foo.Metadata.Labels["istio-injection"]);

        var pods = await client.CoreV1.ListPodForAllNamespacesAsync();
        var sleep = pods.Items.Single(p => p.Metadata.NamespaceProperty == "foo");
        Assert.StartsWith("sleep-", sleep.Metadata.Name);
        Assert.Equal(["sleep", "istio-proxy"], sleep.Spec.Containers.Select(c => c.Name));
        Assert.Equal("Running", sleep.Status.Phase);
        Assert.All(sleep.Status.ContainerStatuses, s => Assert.True(s.Ready));
        Assert.False(string.IsNullOrEmpty(sleep.Status.PodIP));
    }

    [Fact]
    public async Task Create_get_update_patch_delete_a_config_map()
    {
        using var client = fx.Client();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "verbs", Labels = new Dictionary<string, string> { ["a"] = "1" } }, Data = new Dictionary<string, string> { ["k"] = "v" } },
            "default");
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Contains(created.Metadata.ManagedFields, m => m.Operation == "Update");

        var dup = await ApiAssert.FailsWith(HttpStatusCode.Conflict, () => client.CoreV1.CreateNamespacedConfigMapAsync(created, "default"));
        Assert.Equal("AlreadyExists", (string?)dup["reason"]);

        var read = await client.CoreV1.ReadNamespacedConfigMapAsync("verbs", "default");
        read.Data["k"] = "v2";
        var updated = await client.CoreV1.ReplaceNamespacedConfigMapAsync(read, "verbs", "default");
        Assert.Equal("v2", updated.Data["k"]);
        Assert.True(long.Parse(updated.Metadata.ResourceVersion) > long.Parse(created.Metadata.ResourceVersion));

        var stale = await ApiAssert.FailsWith(HttpStatusCode.Conflict, () => client.CoreV1.ReplaceNamespacedConfigMapAsync(read, "verbs", "default"));
        Assert.Equal("Conflict", (string?)stale["reason"]);
        Assert.Contains("the object has been modified", (string?)stale["message"]);

        var patched = await client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("{\"data\":{\"extra\":\"x\",\"k\":null}}", V1Patch.PatchType.MergePatch), "verbs", "default");
        Assert.Equal("x", patched.Data["extra"]);
        Assert.False(patched.Data.ContainsKey("k"));

        await client.CoreV1.DeleteNamespacedConfigMapAsync("verbs", "default");
        var gone = await ApiAssert.FailsWith(HttpStatusCode.NotFound, () => client.CoreV1.ReadNamespacedConfigMapAsync("verbs", "default"));
        Assert.Equal("NotFound", (string?)gone["reason"]);
        Assert.Equal("configmaps \"verbs\" not found", (string?)gone["message"]);
        await ApiAssert.FailsWith(HttpStatusCode.NotFound, () => client.CoreV1.DeleteNamespacedConfigMapAsync("verbs", "default"));
    }

    [Fact]
    public async Task Creating_in_a_missing_namespace_is_404_namespace_not_found()
    {
        using var client = fx.Client();
        var status = await ApiAssert.FailsWith(HttpStatusCode.NotFound, () => client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "x" } }, "nowhere"));
        Assert.Equal("namespaces \"nowhere\" not found", (string?)status["message"]);
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_its_objects()
    {
        using var client = fx.Client();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "doomed" } });
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, "doomed");
        await client.CoreV1.DeleteNamespaceAsync("doomed");
        Assert.Null(fx.Mesh["cluster-1"].Get("", "configmaps", "doomed", "c"));
        await ApiAssert.FailsWith(HttpStatusCode.NotFound, () => client.CoreV1.ReadNamespaceAsync("doomed"));
    }

    [Fact]
    public async Task Secrets_fold_string_data_and_reject_bad_base64()
    {
        using var client = fx.Client();
        var secret = await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "s1" },
            StringData = new Dictionary<string, string> { ["plain"] = "hello" },
            Data = new Dictionary<string, byte[]> { ["bin"] = [1, 2, 3] },
        }, "default");
        Assert.Equal("hello"u8.ToArray(), secret.Data["plain"]);
        Assert.Equal([1, 2, 3], secret.Data["bin"]);
        Assert.Null(secret.StringData);
        Assert.Equal("Opaque", secret.Type);

        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
        http.DefaultRequestHeaders.Authorization = new("Bearer", fx.Mesh["cluster-1"].Token);
        var response = await http.PostAsync(new Uri(fx.Mesh["cluster-1"].Server, "/api/v1/namespaces/default/secrets"),
            new StringContent("{\"metadata\":{\"name\":\"bad\"},\"data\":{\"k\":\"not base64!\"}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("illegal base64 data", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Invalid_names_are_422_with_causes()
    {
        using var client = fx.Client();
        var status = await ApiAssert.FailsWith(HttpStatusCode.UnprocessableEntity, () => client.CoreV1.CreateNamespaceAsync(
            new V1Namespace { Metadata = new V1ObjectMeta { Name = "Bad_Name" } }));
        Assert.Equal("Invalid", (string?)status["reason"]);
        Assert.Equal(["metadata.name"], ApiAssert.CauseFields(status));
        Assert.Contains("RFC 1123 label", ApiAssert.CauseMessages(status));

        var svc = await ApiAssert.FailsWith(HttpStatusCode.UnprocessableEntity, () => client.CoreV1.CreateNamespacedServiceAsync(
            new V1Service { Metadata = new V1ObjectMeta { Name = "1abc" }, Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }] } }, "default"));
        Assert.Contains("DNS-1035", ApiAssert.CauseMessages(svc));
    }

    [Fact]
    public async Task Label_selectors_filter_lists()
    {
        using var client = fx.Client();
        foreach (var (name, tier) in new[] { ("sel-a", "web"), ("sel-b", "db"), ("sel-c", "cache") })
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
            {
                Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["suite"] = "sel", ["tier"] = tier } },
            }, "bar");
        }

        async Task<string[]> Names(string selector) =>
            [.. (await client.CoreV1.ListNamespacedConfigMapAsync("bar", labelSelector: selector)).Items.Select(i => i.Metadata.Name).Order()];

        Assert.Equal(["sel-a"], await Names("suite=sel,tier=web"));
        Assert.Equal(["sel-a"], await Names("suite==sel,tier==web"));
        Assert.Equal(["sel-b", "sel-c"], await Names("suite=sel,tier!=web"));
        Assert.Equal(["sel-a", "sel-b"], await Names("suite=sel,tier in (web, db)"));
        Assert.Equal(["sel-c"], await Names("suite=sel,tier notin (web,db)"));
        Assert.Equal(["sel-a", "sel-b", "sel-c"], await Names("suite,tier"));
        Assert.Empty(await Names("suite=sel,!tier"));
        await ApiAssert.FailsWith(HttpStatusCode.BadRequest, () => client.CoreV1.ListNamespacedConfigMapAsync("bar", labelSelector: "tier in web"));
    }

    [Fact]
    public async Task Limit_and_continue_page_through_a_list()
    {
        using var client = fx.Client();
        for (var i = 0; i < 5; i++)
        {
            await client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount
            {
                Metadata = new V1ObjectMeta { Name = $"page-{i}", Labels = new Dictionary<string, string> { ["paged"] = "yes" } },
            }, "foo");
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await client.CoreV1.ListNamespacedServiceAccountAsync("foo", labelSelector: "paged=yes", limit: 2, continueParameter: token);
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items.Select(i => i.Metadata.Name));
            token = page.Metadata.ContinueProperty;
            pages++;
        }
        while (!string.IsNullOrEmpty(token));

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"page-{i}"), seen);
    }

    [Fact]
    public async Task Wrong_or_missing_token_is_401_with_a_Status_body()
    {
        var cluster = fx.Mesh["cluster-1"];
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(fx.KubeconfigPath, "cluster-1");
        config.AccessToken = "wrong";
        using var client = new Kubernetes(config);
        var status = await ApiAssert.FailsWith(HttpStatusCode.Unauthorized, () => client.CoreV1.ListNamespaceAsync());
        Assert.Equal("Unauthorized", (string?)status["reason"]);

        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
        var anonymous = await http.GetAsync(new Uri(cluster.Server, "/api/v1/namespaces"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var version = await http.GetAsync(new Uri(cluster.Server, "/version"));
        Assert.Equal(HttpStatusCode.OK, version.StatusCode);
    }

    [Fact]
    public async Task A_cluster_token_does_not_open_another_cluster()
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(fx.KubeconfigPath, "cluster-2");
        config.AccessToken = fx.Mesh["cluster-1"].Token;
        using var client = new Kubernetes(config);
        await ApiAssert.FailsWith(HttpStatusCode.Unauthorized, () => client.CoreV1.ListNamespaceAsync());
    }

    [Fact]
    public async Task Version_reports_major_minor_and_git_version()
    {
        using var client = fx.Client();
        var version = await client.Version.GetCodeAsync();
        Assert.Equal("1", version.Major);
        Assert.Equal("18", version.Minor);
        Assert.Equal("v1.18.20", version.GitVersion);
        using var newer = fx.Client("cluster-2");
        Assert.Equal("30", (await newer.Version.GetCodeAsync()).Minor);
    }
}
