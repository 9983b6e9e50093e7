"""A proof, by exact integer arithmetic on a small grid, that two rational exponential
expressions are the same function (so the long double screen may certify more points, and a
derivation's step is valid without evaluating it).

Each side is read as a fraction N/D of polynomials in the variables and in one indeterminate
T per monomial m found in an exponential's argument (exp(k·m/L) = T^k, tanh, sinh and cosh
through exp), never reduced: a sum is (Na·Db + Nb·Da, Da·Db), a product (Na·Nb, Da·Db), a
negative power swaps them. Wherever the engine evaluates a side without dividing by zero, its
D is nonzero and its value is N/D; so when P = Na·Db - Nb·Da is the zero polynomial, the two
sides are equal wherever both are defined. P is evaluated at every point of a grid with more
values per indeterminate than P's degree in it (bounded from the trees): a nonzero
polynomial cannot vanish on such a grid. Anything else (another function, a decimal, a
constant exponent, a grid too large) proves nothing (False). |p| of a polynomial p that
expands to one term c·x^i·y^j is |c|·X^i·Y^j, with one more indeterminate X per variable x
under an absolute value (then X = |x|).
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any

MAX_GRID = 48
"""Most grid points evaluated (the proof is only worth it when it is cheap)."""
MAX_DEGREE = 40
"""Largest degree of P in one indeterminate."""
MAX_NODES = 200
MAX_POWER = 16
MAX_TERMS = 32
"""Most terms of a polynomial expanded inside an absolute value."""
MAX_BITS = 64
"""Largest integer (bits) of a number in a tree followed (the grid's integers stay small)."""


class _No(Exception):
    pass


class _Program:
    """The two trees as steps over integer pairs (N, D), shared subtrees once, with degree
    bounds per indeterminate."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.steps: list[tuple[Any, ...]] = []
        self.slots: dict[Any, int] = {}
        self.degrees: list[tuple[list[int], list[int]]] = []
        self.monos: dict[Any, int] = {}  # monomial -> its T's indeterminate index
        self.scale: dict[Any, int] = {}  # monomial -> L (T = exp(m / L))
        self.absolute: dict[str, int] = {}  # variable -> the indeterminate standing for |v|

    @property
    def width(self) -> int:
        return len(self.names) + len(self.monos) + len(self.absolute)

    def _fresh(self) -> int:
        return self.width

    def scan(self, e: Any) -> None:
        """Every exponential's argument c·m: the monomials and the denominators of c."""
        name = type(e).__name__
        if name in ("exp", "tanh", "sinh", "cosh") and len(e.args) == 1:
            c, m = self.split(e.args[0])
            c = c * 2 if name == "tanh" else c
            if m not in self.monos:
                self.monos[m] = self._fresh()
            self.scale[m] = math.lcm(self.scale.get(m, 1), c.denominator)
            return
        if name == "Abs" and len(e.args) == 1:
            for v, _ in _single_term(self, e.args[0])[1]:
                if v not in self.absolute:
                    self.absolute[v] = self._fresh()
            return
        for a in e.args:
            self.scan(a)

    def split(self, arg: Any) -> tuple[Fraction, Any]:
        """An exponential's argument as c·m: a nonzero rational and a monomial of the
        variables ((name, power) pairs), or _No."""
        c, powers = self._factor(arg)
        if c == 0 or not powers:
            raise _No
        return c, tuple(sorted(powers.items()))

    def _factor(self, e: Any) -> tuple[Fraction, dict[str, int]]:
        if e.is_Rational:
            return Fraction(int(e.p), int(e.q)), {}
        if e.is_Symbol:
            if e.name not in self.names:
                raise _No
            return Fraction(1), {e.name: 1}
        if e.is_Pow and e.args[1].is_Integer and abs(int(e.args[1])) <= MAX_POWER:
            n = int(e.args[1])
            c, powers = self._factor(e.args[0])
            if powers and n <= 0 or c == 0 and n < 0:
                raise _No
            return c ** n, {k: v * n for k, v in powers.items()}
        if e.is_Mul:
            c, powers = Fraction(1), {}
            for f in e.args:
                fc, fp = self._factor(f)
                c *= fc
                for k, v in fp.items():
                    powers[k] = powers.get(k, 0) + v
            return c, powers
        raise _No

    def add_step(self, key: Any, step: tuple[Any, ...], dn: list[int], dd: list[int]) -> int:
        if max(dn + dd, default=0) > MAX_DEGREE or len(self.steps) >= MAX_NODES:
            raise _No
        self.slots[key] = len(self.steps)
        self.steps.append(step)
        self.degrees.append((dn, dd))
        return len(self.steps) - 1

    def node(self, e: Any) -> int:
        slot = self.slots.get(e)
        if slot is not None:
            return slot
        w = self.width
        zero = [0] * w
        if e.is_Symbol:
            if e.name not in self.names:
                raise _No
            i = self.names.index(e.name)
            return self.add_step(e, ("var", i), [int(j == i) for j in range(w)], zero)
        if e.is_Rational:
            if max(abs(int(e.p)), int(e.q)).bit_length() > MAX_BITS:
                raise _No
            return self.add_step(e, ("const", int(e.p), int(e.q)), zero, zero)
        if e.is_Add or e.is_Mul:
            slots = [self.node(a) for a in e.args]
            dn, dd = self.degrees[slots[0]]
            for s in slots[1:]:
                bn, bd = self.degrees[s]
                if e.is_Add:
                    dn = [max(x + v, y + u) for x, y, u, v in zip(dn, bn, dd, bd)]
                else:
                    dn = [x + y for x, y in zip(dn, bn)]
                dd = [x + y for x, y in zip(dd, bd)]
            return self.add_step(e, ("add" if e.is_Add else "mul", tuple(slots)), dn, dd)
        if e.is_Pow and e.args[0].is_Rational and e.args[1].is_Integer and e.args[0] != 0:
            base, n = e.args[0], int(e.args[1])
            if max(abs(int(base.p)), int(base.q)).bit_length() * abs(n) > 64 * MAX_BITS:
                raise _No
            c = Fraction(int(base.p), int(base.q)) ** n  # a number such as 2^-52
            if max(abs(c.numerator), c.denominator).bit_length() > 2 * MAX_BITS:
                raise _No
            return self.add_step(e, ("const", c.numerator, c.denominator), zero, zero)
        if e.is_Pow and e.args[1].is_Integer and abs(int(e.args[1])) <= MAX_POWER:
            n = int(e.args[1])
            s = self.node(e.args[0])
            bn, bd = self.degrees[s]
            dn, dd = ([x * n for x in bn], [x * n for x in bd]) if n >= 0 else \
                ([-x * n for x in bd], [-x * n for x in bn])
            return self.add_step(e, ("pow", s, n), dn, dd)
        name = type(e).__name__
        if name == "Abs" and len(e.args) == 1:  # |c·x^i·y^j| = |c|·|x|^i·|y|^j
            c, powers = _single_term(self, e.args[0])
            if max(abs(c.numerator), c.denominator).bit_length() > MAX_BITS:
                raise _No
            deg = [0] * w
            for v, k in powers:
                deg[self.absolute[v]] += k
            factors = tuple((self.absolute[v], k) for v, k in powers)
            return self.add_step(e, ("abs", abs(c.numerator), c.denominator, factors), deg,
                                 zero)
        if name in ("exp", "tanh", "sinh", "cosh") and len(e.args) == 1:
            c, m = self.split(e.args[0])
            k = c * (2 if name == "tanh" else 1) * self.scale[m]
            if k.denominator != 1 or abs(k) > MAX_DEGREE:
                raise _No
            i, k = self.monos[m], int(k)
            deg = [abs(k) * int(j == i) for j in range(w)]
            if name == "exp":
                return self.add_step(e, ("exp", i, k), *((deg, zero) if k > 0 else (zero, deg)))
            two = [2 * x for x in deg]
            if name == "tanh":  # (T^2k - 1)/(T^2k + 1), as (N - D)/(N + D) of T^2k
                return self.add_step(e, ("tanh", i, k), deg, deg)
            return self.add_step(e, (name, i, k), two, deg)  # (N^2 ± D^2)/(2·N·D) of T^k
        raise _No

    def run(self, point: tuple[int, ...]) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for step in self.steps:
            op = step[0]
            if op == "var":
                v = (point[step[1]], 1)
            elif op == "const":
                v = (step[1], step[2])
            elif op == "add" or op == "mul":
                n, d = out[step[1][0]]
                for s in step[1][1:]:
                    bn, bd = out[s]
                    n, d = (n * bd + bn * d, d * bd) if op == "add" else (n * bn, d * bd)
                v = (n, d)
            elif op == "pow":
                n, d = out[step[1]]
                k = step[2]
                v = (n ** k, d ** k) if k >= 0 else (d ** -k, n ** -k)
            elif op == "abs":
                n = step[1]
                for i, k in step[3]:
                    n *= point[i] ** k
                v = (n, step[2])
            else:
                t, k = point[step[1]], step[2]
                n, d = (t ** k, 1) if k >= 0 else (1, t ** -k)
                if op == "tanh":
                    v = (n - d, n + d)
                elif op == "sinh":
                    v = (n * n - d * d, 2 * n * d)
                elif op == "cosh":
                    v = (n * n + d * d, 2 * n * d)
                else:
                    v = (n, d)
            out.append(v)
        return out


def _single_term(prog: _Program, e: Any) -> tuple[Fraction, tuple[tuple[str, int], ...]]:
    """A polynomial of the variables, expanded, when it is one term c·x^i·y^j (or 0)."""
    terms = _expand(prog, e)
    if len(terms) > 1:
        raise _No
    if not terms:
        return Fraction(0), ()
    (powers, c), = terms.items()
    return c, powers


def _expand(prog: _Program, e: Any) -> dict[tuple[tuple[str, int], ...], Fraction]:
    """The terms of a polynomial of the variables with rational coefficients (or _No)."""
    if e.is_Rational:
        return {(): Fraction(int(e.p), int(e.q))} if e != 0 else {}
    if e.is_Symbol:
        if e.name not in prog.names:
            raise _No
        return {((e.name, 1),): Fraction(1)}
    if e.is_Add:
        out: dict[tuple[tuple[str, int], ...], Fraction] = {}
        for a in e.args:
            for m, c in _expand(prog, a).items():
                out[m] = out.get(m, Fraction(0)) + c
        return {m: c for m, c in out.items() if c}
    if e.is_Mul or (e.is_Pow and e.args[1].is_Integer and 0 <= int(e.args[1]) <= MAX_POWER):
        factors = e.args if e.is_Mul else (e.args[0],) * int(e.args[1])
        out = {(): Fraction(1)}
        for f in factors:
            nxt: dict[tuple[tuple[str, int], ...], Fraction] = {}
            for m1, c1 in out.items():
                for m2, c2 in _expand(prog, f).items():
                    powers = dict(m1)
                    for v, k in m2:
                        powers[v] = powers.get(v, 0) + k
                    m = tuple(sorted(powers.items()))
                    nxt[m] = nxt.get(m, Fraction(0)) + c1 * c2
            out = {m: c for m, c in nxt.items() if c}
            if len(out) > MAX_TERMS:
                raise _No
        return out
    raise _No


def proven(a: Any, b: Any, names: tuple[str, ...], *, defined: bool = False) -> bool:
    """True when `a` and `b` (sympy trees) are certainly equal wherever both are defined;
    with `defined`, also that each is defined almost everywhere (no division by a quantity
    that is identically 0: its D is nonzero somewhere on the grid, so it is not the zero
    polynomial, and its zeros are a set of measure zero)."""
    prog = _Program(tuple(names))
    try:
        prog.scan(a)
        prog.scan(b)
        sa, sb = prog.node(a), prog.node(b)
    except (_No, RecursionError, ArithmeticError, ValueError, TypeError, AttributeError):
        return False
    (an, ad), (bn, bd) = prog.degrees[sa], prog.degrees[sb]
    degree = [max(x + v, y + u) for x, y, u, v in zip(an, bn, ad, bd)]
    if max(degree, default=0) > MAX_DEGREE or math.prod(d + 1 for d in degree) > MAX_GRID:
        return False
    nonzero = not defined
    for point in itertools.product(*(range(2, d + 3) for d in degree)):
        values = prog.run(point)
        (na, da), (nb, db) = values[sa], values[sb]
        if na * db != nb * da:
            return False
        nonzero = nonzero or (da != 0 and db != 0)
    return nonzero


__all__ = ["proven"]
