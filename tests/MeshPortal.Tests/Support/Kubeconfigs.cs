namespace MeshPortal.Tests.Support;

/// <summary>Kubeconfig texts for tests. Servers are 127.0.0.1 only.</summary>
internal static class Kubeconfigs
{
    public const string CaData = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==";

    public static string Build(
        string server = "https://127.0.0.1:6443",
        string clusterExtra = "",
        string user = "    token: secret-token-123",
        string currentContext = "ctx-a",
        string moreContexts = "")
    {
        var clusterExtraLines = clusterExtra.Length == 0 ? "" : "\n" + clusterExtra;
        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c1
              cluster:
                server: {server}
                certificate-authority-data: {CaData}{clusterExtraLines}
            contexts:
            - name: ctx-a
              context:
                cluster: c1
                user: u1
                namespace: team-a
            {moreContexts}
            users:
            - name: u1
              user:
            {user}
            current-context: {currentContext}

            """;
    }

    public const string ExecUser = """
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              command: gke-gcloud-auth-plugin
              args: ["--verbose"]
        """;

    public const string AuthProviderUser = """
            auth-provider:
              name: gcp
              config:
                cmd-path: /usr/bin/gcloud
        """;
}
