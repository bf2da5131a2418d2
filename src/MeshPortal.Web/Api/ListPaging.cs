using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace MeshPortal.Web.Api;

/// <summary>
/// Kubernetes-style list paging shared by the list endpoints: <c>limit</c> caps a page, the <c>X-Continue</c> response header carries an
/// opaque token when more follow, and <c>continue=&lt;token&gt;</c> asks for the next page. Without <c>limit</c> a list is whole, as before.
/// </summary>
internal static class ListPaging
{
    public const string ContinueHeader = "X-Continue";

    /// <summary>The limit and the decoded position, or the error to answer 400 with (nothing else is read).</summary>
    public static (int? Limit, string? After, string? Error) Read(int? limit, string? token, int maxLimit)
    {
        if (limit is { } l && (l < 1 || l > maxLimit))
        {
            return (null, null, $"limit must be between 1 and {maxLimit} (got {l}); leave it out for the whole list.");
        }

        if (string.IsNullOrEmpty(token))
        {
            return (limit, null, null);
        }

        try
        {
            var text = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(token));
            return text.StartsWith("v1:", StringComparison.Ordinal) && text.Length > 3
                ? (limit, text[3..], null)
                : (null, null, "The continue token is not one this API issued; start again without 'continue'.");
        }
        catch (FormatException)
        {
            return (null, null, "The continue token is not one this API issued; start again without 'continue'.");
        }
    }

    public static string Token(string after) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes("v1:" + after));

    public static void SetNext(HttpResponse response, string? after)
    {
        if (after is not null)
        {
            response.Headers[ContinueHeader] = Token(after);
        }
    }

    public static ProblemHttpResult Problem(string error) => TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["query"] = [error] })
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "The list was not read",
        Detail = error,
        Type = "https://httpstatuses.io/400",
    });
}
