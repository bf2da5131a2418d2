using Microsoft.Extensions.Options;

namespace MeshPortal.Web.Hosting;

public static class StartupRefusal
{
    /// <summary>
    /// The failures of options validation at start, one sentence each, or null when <paramref name="error"/> is something
    /// else. The host throws one <see cref="OptionsValidationException"/>, or an <see cref="AggregateException"/> of them when
    /// several options classes are wrong.
    /// </summary>
    public static string? InvalidOptions(Exception error)
    {
        var invalid = error is AggregateException many
            ? [.. many.Flatten().InnerExceptions]
            : new[] { error };
        return invalid.Length > 0 && invalid.All(e => e is OptionsValidationException)
            ? string.Join(" ", invalid.Cast<OptionsValidationException>().SelectMany(e => e.Failures))
            : null;
    }
}
