namespace MeshPortal.Simulator.Validation.Cel;

/// <summary>A parsed CEL expression (the subset used by Kubernetes CRD validation rules).</summary>
internal abstract record CelExpr;

internal sealed record CelLiteral(object? Value) : CelExpr;

internal sealed record CelIdent(string Name) : CelExpr;

/// <summary><c>a.b</c>; with <see cref="TestOnly"/> it is the <c>has(a.b)</c> macro.</summary>
internal sealed record CelSelect(CelExpr Operand, string Field, bool TestOnly = false) : CelExpr;

internal sealed record CelIndex(CelExpr Operand, CelExpr Key) : CelExpr;

/// <summary>A function call: global (<c>size(x)</c>) when <see cref="Target"/> is null, else a method (<c>x.size()</c>).</summary>
internal sealed record CelCall(string Function, CelExpr? Target, IReadOnlyList<CelExpr> Args) : CelExpr;

/// <summary>The comprehension macros <c>all</c>, <c>exists</c>, <c>exists_one</c>, <c>map</c>, <c>filter</c>.</summary>
internal sealed record CelMacro(string Name, CelExpr Range, string Variable, CelExpr Body) : CelExpr;

internal sealed record CelUnary(string Op, CelExpr Operand) : CelExpr;

internal sealed record CelBinary(string Op, CelExpr Left, CelExpr Right) : CelExpr;

internal sealed record CelConditional(CelExpr Condition, CelExpr Then, CelExpr Else) : CelExpr;

internal sealed record CelList(IReadOnlyList<CelExpr> Items) : CelExpr;

internal sealed record CelMap(IReadOnlyList<(CelExpr Key, CelExpr Value)> Entries) : CelExpr;
