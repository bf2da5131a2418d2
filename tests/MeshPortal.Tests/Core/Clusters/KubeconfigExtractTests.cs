using MeshPortal.Core.Platform.Kubernetes;
using k8s;
using k8s.KubeConfigModels;

namespace MeshPortal.Tests.Core.Clusters;

[Trait("Speed", "Fast")]
public class KubeconfigExtractTests
{
    private const string TwoContexts = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c1
          cluster:
            server: https://127.0.0.1:6443
            certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
            tls-server-name: "kubernetes"
        - name: c2
          cluster: {server: "https://127.0.0.2:6443"}
        contexts:
        - name: one
          context: {cluster: c1, user: u1, namespace: "007"}
        - name: two
          context: {cluster: c2, user: u2}
        users:
        - name: u1
          user:
            token: "true"
        - name: u2
          user: {token: other-secret}
        current-context: two
        """;

    [Fact]
    public void Extract_keeps_only_the_chosen_context_its_cluster_and_its_user()
    {
        var yaml = KubeconfigParser.ExtractContext(TwoContexts, "one", KubeconfigPolicy.Default);

        Assert.DoesNotContain("other-secret", yaml);
        Assert.DoesNotContain("127.0.0.2", yaml);
        var result = KubeconfigParser.Parse(yaml, KubeconfigPolicy.Default);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var ctx = Assert.Single(result.Summary!.Contexts);
        Assert.Equal(("one", "c1", "u1", "007", "kubernetes"), (ctx.Name, ctx.Cluster, ctx.User, ctx.Namespace, ctx.TlsServerName));
        Assert.Equal("one", result.Summary.CurrentContext);
    }

    [Fact]
    public void Extracted_yaml_keeps_quoted_scalars_as_strings_for_the_kubernetes_client()
    {
        var yaml = KubeconfigParser.ExtractContext(TwoContexts, "one", KubeconfigPolicy.Default);
        var model = KubernetesYaml.Deserialize<K8SConfiguration>(yaml);

        Assert.Equal("true", model.Users.Single().UserCredentials.Token);
        Assert.Equal("007", model.Contexts.Single().ContextDetails.Namespace);
        var config = KubernetesClientConfiguration.BuildConfigFromConfigObject(model, "one");
        Assert.Equal("https://127.0.0.1:6443/", config.Host.TrimEnd('/') + "/");
    }

    [Fact]
    public void Extract_of_a_refused_kubeconfig_throws_with_the_errors()
    {
        var ex = Assert.Throws<KubeconfigInvalidException>(() => KubeconfigParser.ExtractContext(TwoContexts, "three", KubeconfigPolicy.Default));
        Assert.Equal(KubeconfigErrorCodes.ContextNotFound, Assert.Single(ex.Errors).Code);
        Assert.DoesNotContain("other-secret", ex.Message);
    }
}
