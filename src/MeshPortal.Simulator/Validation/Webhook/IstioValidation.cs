namespace MeshPortal.Simulator.Validation.Webhook;

/// <summary>
/// What istiod's validation returns: errors (the webhook denies) and warnings (admitted, sent back as admission warnings).
/// Mirrors istio's <c>agent.Validation</c> built with hashicorp/go-multierror: a lone plain error prints as itself, a lone
/// error that Go code built with <c>multierror.Append</c> prints in list form ("1 error occurred:\n\t* ...\n\n"), and
/// several errors print as "N errors occurred:\n\t* a\n\t* b\n\n".
/// </summary>
internal sealed class IstioValidation
{
    private readonly List<(string Text, bool Multi)> _errors = [];
    private readonly List<string> _warnings = [];

    public IReadOnlyList<string> Errors => [.. _errors.Select(e => e.Text)];

    public IReadOnlyList<string> Warnings => _warnings;

    public bool HasErrors => _errors.Count > 0;

    /// <summary>An error created with <c>fmt.Errorf</c>/<c>errors.New</c> and appended with <c>AppendValidation</c>/<c>appendErrors</c>.</summary>
    public void Error(string? message)
    {
        if (message is not null)
        {
            _errors.Add((message, false));
        }
    }

    /// <summary>An error appended with <c>multierror.Append</c> directly (a one-error multierror keeps the list format).</summary>
    public void MultiError(string? message)
    {
        if (message is not null)
        {
            _errors.Add((message, true));
        }
    }

    /// <summary>
    /// A multierror value built elsewhere (e.g. <c>security.ValidateIPs</c>) appended as one: flattened into the list,
    /// and printed in list form when it is the only error.
    /// </summary>
    public void MultiErrorGroup(IReadOnlyList<string> messages)
    {
        foreach (var m in messages)
        {
            _errors.Add((m, true));
        }
    }

    public void Warning(string? message)
    {
        if (message is not null)
        {
            _warnings.Add(message);
        }
    }

    /// <summary>Appends another validation's errors and warnings (multierror flattening).</summary>
    public void Add(IstioValidation other)
    {
        _errors.AddRange(other._errors);
        _warnings.AddRange(other._warnings);
    }

    /// <summary>Appends only another validation's errors (<c>appendErrors</c> keeps a Validation's error part), keeping their form.</summary>
    public void AddErrors(IstioValidation other) => _errors.AddRange(other._errors);

    /// <summary>Prefixes every error so far (<c>multierror.Prefix</c>).</summary>
    public void PrefixErrors(int from, string prefix)
    {
        for (var i = from; i < _errors.Count; i++)
        {
            _errors[i] = ($"{prefix} {_errors[i].Text}", _errors[i].Multi);
        }
    }

    public int ErrorCount => _errors.Count;

    /// <summary>The error text as <c>err.Error()</c> prints it.</summary>
    public string ErrorText() => _errors switch
    {
        [] => "",
        [var only] when !only.Multi => only.Text,
        _ => ListFormat(_errors.Select(e => e.Text).ToList()),
    };

    /// <summary>go-multierror's ListFormatFunc.</summary>
    public static string ListFormat(IReadOnlyList<string> errors) => errors.Count == 1
        ? $"1 error occurred:\n\t* {errors[0]}\n\n"
        : $"{errors.Count} errors occurred:\n\t{string.Join("\n\t", errors.Select(e => $"* {e}"))}\n\n";
}
