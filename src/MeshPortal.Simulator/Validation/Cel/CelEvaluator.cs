using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshPortal.Simulator.Api;

namespace MeshPortal.Simulator.Validation.Cel;

/// <summary>
/// Evaluates parsed CEL over JSON values. Values are null, bool, long, double, string, <see cref="TimeSpan"/> (CEL duration),
/// <c>List&lt;object?&gt;</c> and <c>Dictionary&lt;string, object?&gt;</c>. Errors follow cel-go's wording
/// ("no such key: x", "no such overload"); <c>&amp;&amp;</c>/<c>||</c> absorb an error when the other side decides, as in CEL.
/// </summary>
internal static class CelEvaluator
{
    public static object? Evaluate(CelExpr expr, IReadOnlyDictionary<string, object?> variables) => expr switch
    {
        CelLiteral l => l.Value,
        CelIdent i => variables.TryGetValue(i.Name, out var v) ? v : throw new CelException($"undeclared reference to '{i.Name}'"),
        CelSelect s => Select(Evaluate(s.Operand, variables), s.Field, s.TestOnly),
        CelIndex x => Index(Evaluate(x.Operand, variables), Evaluate(x.Key, variables)),
        CelUnary { Op: "!" } u => !Bool(Evaluate(u.Operand, variables)),
        CelUnary u => Evaluate(u.Operand, variables) switch
        {
            long n => -n,
            double d => -d,
            TimeSpan t => -t,
            var other => throw NoOverload("-_", other),
        },
        CelBinary { Op: "&&" or "||" } b => Logical(b, variables),
        CelBinary b => Binary(b.Op, Evaluate(b.Left, variables), Evaluate(b.Right, variables)),
        CelConditional c => Bool(Evaluate(c.Condition, variables)) ? Evaluate(c.Then, variables) : Evaluate(c.Else, variables),
        CelList l => l.Items.Select(i => Evaluate(i, variables)).ToList(),
        CelMap m => m.Entries.ToDictionary(e => Evaluate(e.Key, variables) as string ?? throw new CelException("unsupported map key type"),
            e => Evaluate(e.Value, variables)),
        CelMacro m => Macro(m, variables),
        CelCall c => CelFunctions.Call(c.Function, c.Target is null ? null : Evaluate(c.Target, variables), c.Target is not null,
            c.Args.Select(a => Evaluate(a, variables)).ToList()),
        _ => throw new CelException("unsupported expression"),
    };

    /// <summary>A JSON value as a CEL value (integers as int, other numbers as double).</summary>
    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => FromJson(p.Value)),
        JsonArray a => a.Select(FromJson).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => JsonNumbers.TryGetInt64(v, out var n) ? (object)n : JsonNumbers.Double(v),
            _ => null,
        },
        _ => null,
    };

    public static bool Bool(object? value) => value as bool? ?? throw NoOverload("bool", value);

    public static CelException NoOverload(string function, params object?[] args) =>
        new($"no such overload: {function}({string.Join(", ", args.Select(TypeName))})");

    public static string TypeName(object? value) => value switch
    {
        null => "null_type",
        bool => "bool",
        long => "int",
        double => "double",
        string => "string",
        TimeSpan => "google.protobuf.Duration",
        List<object?> => "list",
        Dictionary<string, object?> => "map",
        _ => value.GetType().Name,
    };

    private static object? Select(object? operand, string field, bool testOnly)
    {
        if (operand is not Dictionary<string, object?> map)
        {
            throw new CelException($"no such key: {field}");
        }

        if (testOnly)
        {
            return map.ContainsKey(field);
        }

        return map.TryGetValue(field, out var value) ? value : throw new CelException($"no such key: {field}");
    }

    private static object? Index(object? operand, object? key) => (operand, key) switch
    {
        (List<object?> list, long i) when i >= 0 && i < list.Count => list[(int)i],
        (List<object?> list, long i) => throw new CelException($"index out of bounds: {i}"),
        (Dictionary<string, object?> map, string k) => map.TryGetValue(k, out var v) ? v : throw new CelException($"no such key: {k}"),
        _ => throw NoOverload("_[_]", operand, key),
    };

    private static object? Logical(CelBinary b, IReadOnlyDictionary<string, object?> variables)
    {
        var decisive = b.Op == "||";
        object? left;
        try
        {
            left = Bool(Evaluate(b.Left, variables));
        }
        catch (CelException)
        {
            // cel-go evaluates both sides: an error on one side is absorbed when the other side decides the result.
            if (Bool(Evaluate(b.Right, variables)) == decisive)
            {
                return decisive;
            }

            throw;
        }

        return (bool)left == decisive ? decisive : Bool(Evaluate(b.Right, variables));
    }

    private static object? Binary(string op, object? l, object? r) => op switch
    {
        "==" => ValueEquals(l, r),
        "!=" => !ValueEquals(l, r),
        "<" or "<=" or ">" or ">=" => Compare(op, l, r),
        "in" => r switch
        {
            List<object?> list => list.Any(item => ValueEquals(item, l)),
            Dictionary<string, object?> map when l is string k => map.ContainsKey(k),
            _ => throw NoOverload("@in", l, r),
        },
        "+" => (l, r) switch
        {
            (long a, long b) => checked(a + b),
            (double a, double b) => a + b,
            (string a, string b) => a + b,
            (List<object?> a, List<object?> b) => a.Concat(b).ToList(),
            (TimeSpan a, TimeSpan b) => a + b,
            _ => throw NoOverload("_+_", l, r),
        },
        "-" => (l, r) switch
        {
            (long a, long b) => checked(a - b),
            (double a, double b) => a - b,
            (TimeSpan a, TimeSpan b) => a - b,
            _ => throw NoOverload("_-_", l, r),
        },
        "*" => (l, r) switch
        {
            (long a, long b) => checked(a * b),
            (double a, double b) => a * b,
            _ => throw NoOverload("_*_", l, r),
        },
        "/" => (l, r) switch
        {
            (long _, 0L) => throw new CelException("division by zero"),
            (long a, long b) => a / b,
            (double a, double b) => a / b,
            _ => throw NoOverload("_/_", l, r),
        },
        "%" => (l, r) switch
        {
            (long _, 0L) => throw new CelException("modulus by zero"),
            (long a, long b) => a % b,
            _ => throw NoOverload("_%_", l, r),
        },
        _ => throw new CelException($"unsupported operator {op}"),
    };

    private static bool Compare(string op, object? l, object? r)
    {
        int c = (l, r) switch
        {
            (long a, long b) => a.CompareTo(b),
            (double a, double b) => a.CompareTo(b),
            (long a, double b) => ((double)a).CompareTo(b),
            (double a, long b) => a.CompareTo((double)b),
            (string a, string b) => string.CompareOrdinal(a, b),
            (TimeSpan a, TimeSpan b) => a.CompareTo(b),
            (bool a, bool b) => a.CompareTo(b),
            _ => throw NoOverload($"_{op}_", l, r),
        };
        return op switch { "<" => c < 0, "<=" => c <= 0, ">" => c > 0, _ => c >= 0 };
    }

    public static bool ValueEquals(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (long x, double y) => x == y,
        (double x, long y) => x == y,
        (List<object?> x, List<object?> y) => x.Count == y.Count && x.Zip(y).All(p => ValueEquals(p.First, p.Second)),
        (Dictionary<string, object?> x, Dictionary<string, object?> y) =>
            x.Count == y.Count && x.All(p => y.TryGetValue(p.Key, out var v) && ValueEquals(p.Value, v)),
        _ => Equals(a, b),
    };

    private static object? Macro(CelMacro m, IReadOnlyDictionary<string, object?> variables)
    {
        var range = Evaluate(m.Range, variables) switch
        {
            List<object?> list => list,
            Dictionary<string, object?> map => map.Keys.Cast<object?>().ToList(),
            var other => throw NoOverload(m.Name, other),
        };
        var scope = new Dictionary<string, object?>(variables);
        bool Test(object? item)
        {
            scope[m.Variable] = item;
            return Bool(Evaluate(m.Body, scope));
        }

        return m.Name switch
        {
            "all" => range.All(Test),
            "exists" => range.Any(Test),
            "exists_one" => range.Count(Test) == 1,
            "filter" => range.Where(Test).ToList(),
            _ => range.Select(item =>
            {
                scope[m.Variable] = item;
                return Evaluate(m.Body, scope);
            }).ToList(),
        };
    }
}

/// <summary>The CEL standard functions (and the Kubernetes duration/regex ones) the CRD rules call.</summary>
internal static class CelFunctions
{
    /// <summary>Patterns of <c>matches()</c>: the CRDs use a handful, compiled once.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> Compiled = new(StringComparer.Ordinal);

    public static object? Call(string name, object? target, bool isMethod, IReadOnlyList<object?> args)
    {
        var all = isMethod ? [target, .. args] : args.ToList();
        return (name, all.Count) switch
        {
            ("size", 1) => all[0] switch
            {
                string s => s.All(char.IsAscii) ? s.Length : (long)System.Globalization.StringInfo.ParseCombiningCharacters(s).Length,
                List<object?> l => (long)l.Count,
                Dictionary<string, object?> d => (long)d.Count,
                var other => throw CelEvaluator.NoOverload("size", other),
            },
            ("int", 1) => all[0] switch
            {
                long n => n,
                double d => (long)d,
                string s => long.TryParse(s, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n)
                    ? n : throw new CelException($"cannot convert '{s}' to int"),
                var other => throw CelEvaluator.NoOverload("int", other),
            },
            ("string", 1) => all[0] switch
            {
                string s => s,
                long n => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                var other => throw CelEvaluator.NoOverload("string", other),
            },
            ("duration", 1) when all[0] is string s => GoDuration.Parse(s),
            ("contains", 2) when all[0] is string s && all[1] is string sub => s.Contains(sub, StringComparison.Ordinal),
            ("startsWith", 2) when all[0] is string s && all[1] is string p => s.StartsWith(p, StringComparison.Ordinal),
            ("endsWith", 2) when all[0] is string s && all[1] is string p => s.EndsWith(p, StringComparison.Ordinal),
            ("matches", 2) when all[0] is string s && all[1] is string re => Compiled.GetOrAdd(re, p => new Regex(p, RegexOptions.None, TimeSpan.FromSeconds(1))).IsMatch(s),
            ("substring", 2) when all[0] is string s && all[1] is long start => Substring(s, start, s.Length),
            ("substring", 3) when all[0] is string s && all[1] is long start && all[2] is long end => Substring(s, start, end),
            _ => throw CelEvaluator.NoOverload(name, [.. all]),
        };
    }

    private static string Substring(string s, long start, long end)
    {
        if (start < 0 || start > s.Length)
        {
            throw new CelException($"index out of range: {start}");
        }

        if (end < start || end > s.Length)
        {
            throw new CelException($"index out of range: {end}");
        }

        return s[(int)start..(int)end];
    }
}
