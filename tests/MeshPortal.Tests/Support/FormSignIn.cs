using System.Net;
using System.Text.RegularExpressions;

namespace MeshPortal.Tests.Support;

/// <summary>The sign-in form over plain HTTP, as a browser posts it: GET /login (antiforgery token and cookie), POST it back.</summary>
public static partial class FormSignIn
{
    /// <summary>Posts the form; returns the response (a redirect on success, the form with its error otherwise).</summary>
    public static Task<HttpResponseMessage> PostAsync(PortalFixture portal, string user, string password) =>
        PostAsync(() => portal.CreateClient(token: null), user, password);

    /// <summary>The same against a portal process at <paramref name="address"/>.</summary>
    public static async Task<HttpClient> CookieClientAsync(Uri address, string user, string password)
    {
        HttpClient Client() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = address };
        using var response = await PostAsync(Client, user, password);
        var client = Client();
        client.DefaultRequestHeaders.Add("Cookie", AuthCookie(response));
        return client;
    }

    private static async Task<HttpResponseMessage> PostAsync(Func<HttpClient> newClient, string user, string password)
    {
        using var client = newClient();
        var form = await client.GetAsync("/login");
        var html = await form.Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(html).Groups[1].Value;
        var cookie = string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        using var post = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login",
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
                ["Input.UserName"] = user,
                ["Input.Password"] = password,
            }),
        };
        post.Headers.Add("Cookie", cookie);
        return await client.SendAsync(post);
    }

    /// <summary>The HTML of the answer, or "redirect &lt;target&gt;" on success.</summary>
    public static async Task<string> AnswerAsync(PortalFixture portal, string user, string password)
    {
        using var response = await PostAsync(portal, user, password);
        return response.StatusCode == HttpStatusCode.Redirect ? $"redirect {response.Headers.Location}" : await response.Content.ReadAsStringAsync();
    }

    /// <summary>Signs in and returns a client that sends the session cookie (no bearer token, like a browser).</summary>
    public static async Task<HttpClient> CookieClientAsync(PortalFixture portal, string user, string password)
    {
        using var response = await PostAsync(portal, user, password);
        var client = portal.CreateClient(token: null);
        client.DefaultRequestHeaders.Add("Cookie", AuthCookie(response));
        return client;
    }

    private static string AuthCookie(HttpResponseMessage response) =>
        response.StatusCode != HttpStatusCode.Redirect || !response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? throw new InvalidOperationException($"sign-in failed: {(int)response.StatusCode} {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}")
            : cookies.Select(c => c.Split(';')[0]).Single(c => c.StartsWith("meshportal.auth=", StringComparison.Ordinal));

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
