"""Light expression trees shaped exactly like the engine's unevaluated sympy trees (no sympy)."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import mpmath.libmp as mlib


class Expr:
    """A node; class names, `args`, leaf texts and node counts match sympy's evaluate=False
    trees, so point seeds, work and evaluation are the same as with sympy objects."""

    __slots__ = ("args", "_hash", "_free")
    is_Add = is_Mul = is_Pow = is_Symbol = is_Number = is_Integer = is_Rational = False
    is_Float = is_NumberSymbol = is_Atom = is_Function = False
    is_light = True

    def __init__(self, *args: Any) -> None:
        self.args: tuple[Any, ...] = args
        self._hash: int | None = None
        self._free: frozenset[Any] | None = None

    @property
    def func(self) -> type:
        return type(self)

    def _key(self) -> tuple[Any, ...]:
        return self.args

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if type(other) is not type(self):
            return False
        return self._key() == other._key()  # type: ignore[attr-defined]

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash((type(self).__name__, self._key()))
        return self._hash

    @property
    def free_symbols(self) -> frozenset[Any]:
        if self._free is None:
            found: set[Any] = set()
            stack = [self]
            while stack:
                e = stack.pop()
                if e.is_Symbol:
                    found.add(e)
                else:
                    stack.extend(e.args)
            self._free = frozenset(found)
        return self._free

    @property
    def is_number(self) -> bool:
        return not self.free_symbols

    def __repr__(self) -> str:
        if self.is_Atom:
            return str(self)
        return f"{type(self).__name__}({', '.join(map(repr, self.args))})"


class Atom(Expr):
    __slots__ = ()
    is_Atom = True

    def __init__(self) -> None:
        super().__init__()


class Symbol(Atom):
    __slots__ = ("name",)
    is_Symbol = True

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def _key(self) -> tuple[Any, ...]:
        return (self.name,)

    def __str__(self) -> str:
        return self.name


class Number(Atom):
    __slots__ = ()
    is_Number = True


class Rational(Number):
    __slots__ = ("p", "q")
    is_Rational = True

    def __init__(self, p: int, q: int = 1) -> None:
        super().__init__()
        self.p, self.q = p, q

    def _key(self) -> tuple[Any, ...]:
        return (self.p, self.q)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, int) and not isinstance(other, bool):
            return self.q == 1 and self.p == other
        return isinstance(other, Rational) and (self.p, self.q) == (other.p, other.q)

    def __hash__(self) -> int:
        return hash((self.p, self.q))

    def __neg__(self) -> Rational:
        return rational(-self.p, self.q)

    def __float__(self) -> float:
        return self.p / self.q

    def __int__(self) -> int:
        return int(self.p / self.q) if self.q != 1 else self.p

    def __str__(self) -> str:
        return str(self.p) if self.q == 1 else f"{self.p}/{self.q}"


class Integer(Rational):
    __slots__ = ()
    is_Integer = True


class Zero(Integer):
    __slots__ = ()


class One(Integer):
    __slots__ = ()


class NegativeOne(Integer):
    __slots__ = ()


class Half(Rational):
    __slots__ = ()


def rational(p: int, q: int = 1) -> Rational:
    """The number p/q in lowest terms, as the sympy class of that value."""
    if q < 0:
        p, q = -p, -q
    g = math.gcd(p, q)
    p, q = p // g, q // g
    if q == 1:
        return {0: Zero, 1: One, -1: NegativeOne}.get(p, Integer)(p, 1)
    return (Half if (p, q) == (1, 2) else Rational)(p, q)


class Float(Number):
    """A decimal read at `prec` bits, rounded as sympy's Float reads its text."""

    __slots__ = ("_mpf_", "_prec")
    is_Float = True

    def __init__(self, mpf: tuple[Any, ...], prec: int) -> None:
        super().__init__()
        self._mpf_, self._prec = (mlib.normalize(*mpf, prec, mlib.round_nearest)
                                  if mpf[1] else mpf), prec

    def _key(self) -> tuple[Any, ...]:
        return (self._mpf_,)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Float) and self._mpf_ == other._mpf_

    def __hash__(self) -> int:
        return hash(self._mpf_)

    def __neg__(self) -> Number:
        return Float(mlib.mpf_neg(self._mpf_), self._prec)

    def __float__(self) -> float:
        return mlib.to_float(self._mpf_)

    def __str__(self) -> str:
        dps = 0 if self._prec < 5 else mlib.prec_to_dps(self._prec)
        text = mlib.to_str(self._mpf_, dps, strip_zeros=False)
        if text.startswith("-.0"):
            text = "-0." + text[3:]
        elif text.startswith(".0"):
            text = "0." + text[2:]
        return text.removeprefix("+")


def float_of_text(text: str, dps: int) -> Float:
    """`sympy.Float(text, dps)` for the digits-only text the parser rebuilds."""
    prec = mlib.dps_to_prec(dps)
    return Float(mlib.from_str(text, prec, mlib.round_nearest), prec)


class Exp1(Atom):
    __slots__ = ()
    is_NumberSymbol = True
    is_number = True  # type: ignore[assignment]

    def __str__(self) -> str:
        return "E"

    def __float__(self) -> float:
        return math.e


class Pi(Atom):
    __slots__ = ()
    is_NumberSymbol = True
    is_number = True  # type: ignore[assignment]

    def __str__(self) -> str:
        return "pi"

    def __float__(self) -> float:
        return math.pi


E, pi = Exp1(), Pi()


class Add(Expr):
    __slots__ = ()
    is_Add = True


class Mul(Expr):
    __slots__ = ()
    is_Mul = True


class Pow(Expr):
    __slots__ = ()
    is_Pow = True

    @property
    def base(self) -> Any:
        return self.args[0]

    @property
    def exp(self) -> Any:
        return self.args[1]


class Function(Expr):
    __slots__ = ()
    is_Function = True


def _function(name: str) -> type:
    return type(name, (Function,), {"__slots__": ()})


FUNCTIONS = {name: _function(name) for name in (
    "exp", "log", "sin", "cos", "tan", "sinh", "cosh", "tanh", "sech", "Abs", "Max", "Min")}


def node_count(e: Any) -> int:
    count, stack = 0, [e]
    while stack:
        x = stack.pop()
        count += 1
        stack.extend(x.args)
    return count


def _atom_rank(e: Any) -> tuple[Any, ...] | None:
    """sympy's sort order among atoms of the same size, where it is plain (else None)."""
    if e.is_Symbol:
        return (2, "Symbol", e.name)
    if e.is_NumberSymbol:
        return (2, type(e).__name__, str(e))
    if e.is_Number:
        return (1,)
    return None


def lattice(cls: type, args: tuple[Any, ...]) -> Any:
    """Max/Min as sympy builds them unevaluated: duplicates dropped, arguments ordered (by
    size, then sympy's sort key; a tie sympy alone can order is ordered by sympy)."""
    unique: list[Any] = []
    for a in args:
        if a not in unique:
            unique.append(a)
    if len(unique) == 1:
        return unique[0]
    sized = sorted(unique, key=node_count)
    for x, y in zip(sized, sized[1:]):
        if node_count(x) == node_count(y):
            rx, ry = _atom_rank(x), _atom_rank(y)
            if rx is None or ry is None or rx == ry:
                return cls(*_sympy_order(cls.__name__, unique))
    groups: dict[int, list[Any]] = {}
    for a in sized:
        groups.setdefault(node_count(a), []).append(a)
    ordered = [a for n in sorted(groups) for a in sorted(groups[n], key=_atom_rank)]
    return cls(*ordered)


def _sympy_order(name: str, args: list[Any]) -> list[Any]:
    from modl_tutor.answers.convert import to_sympy_expr

    import sympy

    back = {to_sympy_expr(a): a for a in args}
    built = getattr(sympy, name)(*back, evaluate=False)
    return [back[a] for a in built.args]


@lru_cache(maxsize=256)
def symbol(name: str) -> Symbol:
    return Symbol(name)
