"""Turn a parsed `Node` tree into an unevaluated sympy expression or its light twin (bounded)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from modl_tutor.answers.parser import MAX_EXPONENT, Node, ParseError


@lru_cache(maxsize=256)
def symbol(name: str) -> Any:
    """The real sympy symbol for a variable name."""
    import sympy

    return sympy.Symbol(name, real=True)


def sigmoid(arg: Any, sp: Any = None) -> Any:
    """σ(arg) as the plain expression 1/(1 + exp(-arg)) (sympy's, or of namespace `sp`)."""
    if sp is None:
        import sympy as sp

    neg = sp.Mul(sp.Integer(-1), arg, evaluate=False)
    return sp.Pow(sp.Add(sp.Integer(1), sp.exp(neg, evaluate=False), evaluate=False),
                  sp.Integer(-1), evaluate=False)


def relu(arg: Any, sp: Any = None) -> Any:
    """relu(arg) = Max(0, arg)."""
    if sp is None:
        import sympy as sp

    return sp.Max(sp.Integer(0), arg, evaluate=False)


def to_sympy(node: Node, text: str = "", *, display: bool = False) -> Any:
    """Build the sympy object of `node` with evaluate=False everywhere, so that nothing
    (huge powers, factorisations) is computed while building. Raises `ParseError`."""
    import sympy

    return _Builder(text, display, sympy, symbol).build(node)


def to_light(node: Node, text: str = "") -> Any:
    """The light tree of `node` (`answers.tree`): the same shape as `to_sympy` builds, made
    without importing sympy. Raises `ParseError`."""
    from modl_tutor.answers.convert import LIGHT

    return _Builder(text, False, LIGHT, LIGHT.symbol).build(node)


class _Builder:
    def __init__(self, text: str, display: bool, sp: Any, make_symbol: Any) -> None:
        self.sp, self.text, self.display, self.symbol = sp, text, display, make_symbol

    def fail(self, message: str, col: int) -> ParseError:
        return ParseError(message, col, self.text)

    def build(self, node: Node) -> Any:
        sp = self.sp
        kind = node.kind
        if kind == "vec":
            return tuple(self.build(a) for a in node.args)
        if kind == "num":
            mantissa, exp10, is_float, digits = node.value
            if not is_float:
                return sp.Integer(mantissa)
            # digits-only text rebuilt from our own tokens (mpmath's decimal reader, no eval)
            return sp.Float(f"{mantissa}e{exp10}", digits if self.display else max(15, digits))
        if kind == "sym":
            return self.symbol(node.value)
        if kind == "const":
            return sp.E if node.value == "e" else sp.pi
        args = [self.build(a) for a in node.args]
        try:
            return self.combine(node, args)
        except ParseError:
            raise
        except Exception as err:  # sympy refused to build it (e.g. max of a complex number)
            what = node.value if node.kind == "call" else node.kind
            raise self.fail(f"cannot use this in '{what}': {type(err).__name__}", node.col) from None

    def combine(self, node: Node, args: list[Any]) -> Any:
        sp = self.sp
        kind = node.kind
        if kind == "neg":
            a = args[0]
            if a.is_Number:
                return -a
            return sp.Mul(sp.Integer(-1), a, evaluate=False)
        if kind == "add":
            terms = [a if s == "+" else self.neg(a) for s, a in zip(node.value, args)]
            return sp.Add(*terms, evaluate=False)
        if kind == "mul":
            factors = [a if op == "*" else sp.Pow(a, sp.Integer(-1), evaluate=False)
                       for op, a in zip(node.value, args)]
            if factors[0] == 1 and node.value[1] == "/":  # 1/x, not 1*1/x
                factors = factors[1:]
            return factors[0] if len(factors) == 1 else sp.Mul(*factors, evaluate=False)
        if kind == "pow":
            return self.power(node, *args)
        if kind == "call":
            return self.call(node, args)
        raise self.fail(f"unknown node {kind}", node.col)

    def neg(self, a: Any) -> Any:
        if a.is_Number:
            return -a
        return self.sp.Mul(self.sp.Integer(-1), a, evaluate=False)

    def power(self, node: Node, base: Any, exponent: Any) -> Any:
        if not exponent.free_symbols:
            from modl_tutor.answers.numbers import float_value

            value = float_value(exponent)
            if value is None and not _is_small(exponent):
                raise self.fail("exponent too large or undefined", node.col)
            if value is not None and abs(value) > MAX_EXPONENT:
                shown = f"{value:.6g}" if abs(value) < 1e300 else "huge"
                raise self.fail(f"exponent {shown} is too large (at most {MAX_EXPONENT})",
                                node.col)
        return self.sp.Pow(base, exponent, evaluate=False)

    def call(self, node: Node, args: list[Any]) -> Any:
        sp, name = self.sp, node.value
        a = args[0]
        if name in ("sigmoid", "sigma"):
            return sp.Function("σ")(a) if self.display else sigmoid(a, sp)
        if name == "relu":
            return sp.Function("relu")(a) if self.display else relu(a, sp)
        if name in ("max", "min"):
            return (sp.Max if name == "max" else sp.Min)(*args, evaluate=False)
        if name == "sqrt":
            return sp.Pow(a, sp.Rational(1, 2), evaluate=False)
        if name in ("log10", "log2"):
            base = sp.Integer(10 if name == "log10" else 2)
            if self.display:
                return sp.log(a, base, evaluate=False)
            return sp.Mul(sp.log(a, evaluate=False),
                          sp.Pow(sp.log(base, evaluate=False), -1, evaluate=False),
                          evaluate=False)
        if name == "log" and len(args) == 2:
            return sp.Mul(sp.log(a, evaluate=False),
                          sp.Pow(sp.log(args[1], evaluate=False), -1, evaluate=False),
                          evaluate=False)
        cls = {"exp": sp.exp, "log": sp.log, "ln": sp.log, "abs": sp.Abs, "sin": sp.sin,
               "cos": sp.cos, "tan": sp.tan, "sinh": sp.sinh, "cosh": sp.cosh,
               "tanh": sp.tanh, "sech": sp.sech}[name]
        return cls(a, evaluate=False)


def _is_small(exponent: Any) -> bool:
    """An exponent without a finite value (e.g. 1/0) is allowed unless it overflows."""
    from modl_tutor.answers.numbers import Undefined, Unsupported, compile_float

    try:
        compile_float(exponent, ())(())
    except Undefined as err:
        return "too large" not in str(err) and "overflow" not in str(err)
    except (Unsupported, ArithmeticError, ValueError, TypeError):
        return True
    return True
