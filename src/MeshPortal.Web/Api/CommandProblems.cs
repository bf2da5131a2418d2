using MeshPortal.Core.Platform.Commands;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshPortal.Web.Api;

/// <summary>Turns a command that did not finish into its problem answer: 404 not found, 403 not allowed, 400 invalid input.</summary>
internal static class CommandProblems
{
    public static ProblemHttpResult Problem<T>(CommandResult<T> result, string notFoundTitle) => result.Status switch
    {
        CommandStatus.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: notFoundTitle, detail: result.Error),
        CommandStatus.Forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: result.Error),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid request", detail: result.Error),
    };
}
