namespace MeshPortal.Simulator.Validation.Cel;

/// <summary>Recursive-descent parser following cel-spec's grammar (conditional, or, and, relation, addition, multiplication, unary, member, primary).</summary>
internal sealed class CelParser
{
    private static readonly HashSet<string> Macros = ["all", "exists", "exists_one", "map", "filter"];
    private readonly List<CelToken> _tokens;
    private int _pos;

    private CelParser(string text) => _tokens = CelLexer.Tokenize(text);

    public static CelExpr Parse(string text)
    {
        var parser = new CelParser(text);
        var expr = parser.Conditional();
        if (parser.Peek.Kind != CelTokenKind.End)
        {
            throw new CelException($"Syntax error: extraneous input '{parser.Peek.Text}'");
        }

        return expr;
    }

    private CelToken Peek => _tokens[_pos];

    private bool Accept(string op)
    {
        if (Peek.Kind == CelTokenKind.Op && Peek.Text == op)
        {
            _pos++;
            return true;
        }

        return false;
    }

    private void Expect(string op)
    {
        if (!Accept(op))
        {
            throw new CelException($"Syntax error: expected '{op}' but found '{Peek.Text}'");
        }
    }

    private CelExpr Conditional()
    {
        var condition = Or();
        if (!Accept("?"))
        {
            return condition;
        }

        var then = Or();
        Expect(":");
        return new CelConditional(condition, then, Conditional());
    }

    private CelExpr Or()
    {
        var left = And();
        while (Accept("||"))
        {
            left = new CelBinary("||", left, And());
        }

        return left;
    }

    private CelExpr And()
    {
        var left = Relation();
        while (Accept("&&"))
        {
            left = new CelBinary("&&", left, Relation());
        }

        return left;
    }

    private CelExpr Relation()
    {
        var left = Addition();
        while (true)
        {
            var op = Peek.Kind == CelTokenKind.Op && Peek.Text is "==" or "!=" or "<" or "<=" or ">" or ">=" ? Peek.Text
                : Peek.Kind == CelTokenKind.Ident && Peek.Text == "in" ? "in" : null;
            if (op is null)
            {
                return left;
            }

            _pos++;
            left = new CelBinary(op, left, Addition());
        }
    }

    private CelExpr Addition()
    {
        var left = Multiplication();
        while (Peek.Kind == CelTokenKind.Op && Peek.Text is "+" or "-")
        {
            var op = _tokens[_pos++].Text;
            left = new CelBinary(op, left, Multiplication());
        }

        return left;
    }

    private CelExpr Multiplication()
    {
        var left = Unary();
        while (Peek.Kind == CelTokenKind.Op && Peek.Text is "*" or "/" or "%")
        {
            var op = _tokens[_pos++].Text;
            left = new CelBinary(op, left, Unary());
        }

        return left;
    }

    private CelExpr Unary()
    {
        if (Accept("!"))
        {
            return new CelUnary("!", Unary());
        }

        return Accept("-") ? new CelUnary("-", Unary()) : Member();
    }

    private CelExpr Member()
    {
        var expr = Primary();
        while (true)
        {
            if (Accept("."))
            {
                var name = Ident();
                if (!Accept("("))
                {
                    expr = new CelSelect(expr, name);
                    continue;
                }

                if (Macros.Contains(name))
                {
                    var variable = Ident();
                    Expect(",");
                    var body = Conditional();
                    Expect(")");
                    expr = new CelMacro(name, expr, variable, body);
                }
                else
                {
                    expr = new CelCall(name, expr, Arguments());
                }
            }
            else if (Accept("["))
            {
                var key = Conditional();
                Expect("]");
                expr = new CelIndex(expr, key);
            }
            else
            {
                return expr;
            }
        }
    }

    private CelExpr Primary()
    {
        var t = _tokens[_pos++];
        switch (t.Kind)
        {
            case CelTokenKind.Int or CelTokenKind.Double or CelTokenKind.String:
                return new CelLiteral(t.Value);
            case CelTokenKind.Ident when t.Text is "true" or "false":
                return new CelLiteral(t.Text == "true");
            case CelTokenKind.Ident when t.Text == "null":
                return new CelLiteral(null);
            case CelTokenKind.Ident when t.Text == "has" && Peek.Text == "(":
                _pos++;
                var arg = Member();
                Expect(")");
                return arg is CelSelect select ? select with { TestOnly = true } : throw new CelException("invalid argument to has() macro");
            case CelTokenKind.Ident when Peek.Text == "(":
                _pos++;
                return new CelCall(t.Text, null, Arguments());
            case CelTokenKind.Ident:
                return new CelIdent(t.Text);
            case CelTokenKind.Op when t.Text == "(":
                var inner = Conditional();
                Expect(")");
                return inner;
            case CelTokenKind.Op when t.Text == "[":
                var items = new List<CelExpr>();
                while (!Accept("]"))
                {
                    items.Add(Conditional());
                    if (!Accept(","))
                    {
                        Expect("]");
                        break;
                    }
                }

                return new CelList(items);
            case CelTokenKind.Op when t.Text == "{":
                var entries = new List<(CelExpr, CelExpr)>();
                while (!Accept("}"))
                {
                    var key = Conditional();
                    Expect(":");
                    entries.Add((key, Conditional()));
                    if (!Accept(","))
                    {
                        Expect("}");
                        break;
                    }
                }

                return new CelMap(entries);
            default:
                throw new CelException($"Syntax error: mismatched input '{t.Text}'");
        }
    }

    private string Ident()
    {
        var t = _tokens[_pos++];
        return t.Kind == CelTokenKind.Ident ? t.Text : throw new CelException($"Syntax error: expected identifier but found '{t.Text}'");
    }

    private List<CelExpr> Arguments()
    {
        var args = new List<CelExpr>();
        while (!Accept(")"))
        {
            args.Add(Conditional());
            if (!Accept(","))
            {
                Expect(")");
                break;
            }
        }

        return args;
    }
}
