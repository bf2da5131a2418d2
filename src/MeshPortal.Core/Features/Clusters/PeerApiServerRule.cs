namespace MeshPortal.Core.Features.Clusters;

/// <summary>
/// The API server address other clusters' istiod dial through their remote secret for this cluster, when it differs from the
/// portal's (a private endpoint, an internal load balancer). An absolute https URL with a host, no credentials, query or fragment. Pure.
/// </summary>
public static class PeerApiServerRule
{
    public static string? Validate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        if (text.Length > 2048 || text.Any(char.IsControl))
        {
            return "The peer API server must be a URL of at most 2,048 characters without control characters.";
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(uri.Host))
        {
            return $"'{text}' is not an https URL such as https://10.0.0.12:6443 (the address other clusters use to reach this API server).";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return "The peer API server URL must not carry credentials, a query or a fragment.";
        }

        return null;
    }
}
