using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Platform.Configuration;

public static class OptionsValidation
{
    /// <summary>
    /// Checks the validation attributes of <typeparamref name="T"/> (and of its nested MeshPortal option objects) when the host
    /// starts, so a bad value stops start-up with one sentence per value naming its configuration key, e.g.
    /// <c>MeshPortal:Sync:ApplyConcurrency is 0: it must be between 1 and 64.</c>
    /// </summary>
    public static OptionsBuilder<T> ValidateKeysOnStart<T>(this OptionsBuilder<T> builder, string section)
        where T : class
    {
        builder.Services.AddSingleton<IValidateOptions<T>>(new KeyedAttributeValidator<T>(builder.Name, section));
        return builder.ValidateOnStart();
    }

    /// <summary>Every broken attribute of <paramref name="options"/> as "&lt;key&gt; is &lt;value&gt;: it &lt;rule&gt;."</summary>
    public static IReadOnlyList<string> Failures(object options, string section)
    {
        var failures = new List<string>();
        Collect(options, section, failures);
        return failures;
    }

    private static void Collect(object options, string prefix, List<string> failures)
    {
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || !property.CanRead)
            {
                continue;
            }

            var value = property.GetValue(options);
            var key = prefix + ":" + property.Name;
            foreach (var rule in property.GetCustomAttributes<ValidationAttribute>())
            {
                if (!rule.IsValid(value))
                {
                    failures.Add($"{key} is {Show(value)}: it {Describe(rule)}.");
                }
            }

            if (value is not null && property.PropertyType.IsClass && property.PropertyType != typeof(string)
                && property.PropertyType.Namespace?.StartsWith("MeshPortal", StringComparison.Ordinal) == true)
            {
                Collect(value, key, failures);
            }
        }
    }

    private static string Describe(ValidationAttribute rule) => rule switch
    {
        RangeAttribute range => string.Create(CultureInfo.InvariantCulture, $"must be between {range.Minimum} and {range.Maximum}"),
        RequiredAttribute => "must be set",
        UrlAttribute => "must be an absolute http or https address",
        _ => rule.FormatErrorMessage(""),
    };

    private static string Show(object? value) => value switch
    {
        null => "not set",
        string s => $"\"{s}\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private sealed class KeyedAttributeValidator<T>(string? name, string section) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? optionsName, T options)
        {
            if (name is not null && name != optionsName)
            {
                return ValidateOptionsResult.Skip;
            }

            var failures = Failures(options, section);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}

/// <summary>
/// A Hangfire cron expression (five fields, or six with seconds; UTC), or empty where empty means "disabled". Checked by
/// shape and values here so that a typo stops start-up with its key instead of a stack trace from the recurring-job registration.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class CronAttribute : ValidationAttribute
{
    public CronAttribute()
        : base("must be a cron expression of five fields (minute hour day-of-month month day-of-week, e.g. \"*/5 * * * *\"), or empty to disable the job")
    {
    }

    public override bool IsValid(object? value)
    {
        if (value is not string cron || cron.Trim().Length == 0)
        {
            return true;
        }

        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // The shape, then the values as Hangfire reads them (Cronos, which Hangfire's recurring jobs parse with: five fields, or
        // six with seconds): "0 25 * * *" has the shape but no hour 25. One that never fires ("0 0 31 2 *") is refused too:
        // Hangfire would take it and never run the job; empty is how a job is switched off.
        return fields.Length is 5 or 6
            && fields.All(f => f.All(c => char.IsAsciiLetterOrDigit(c) || c is '*' or ',' or '-' or '/' or '?' or '#'))
            && Cronos.CronExpression.TryParse(string.Join(' ', fields), fields.Length == 6 ? Cronos.CronFormat.IncludeSeconds : Cronos.CronFormat.Standard, out var parsed)
            && parsed.GetNextOccurrence(DateTime.UtcNow) is not null;
    }
}
