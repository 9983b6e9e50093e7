"""Variable domains of math answers: read an author's domain spec and draw points inside it.

A spec is text (no eval): `real` (the default), `positive`, `negative`, `nonnegative`,
`nonpositive`, an interval such as `(0, 1)`, `[0, 1)`, `(-inf, 0]`, `integer`,
`positive integer`, `nonnegative integer`, `negative integer`, `integer in [1, 10]`, or a finite
set such as `{0, 1}`.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from functools import lru_cache

INF = math.inf
_NUM = r"[-+]?(?:inf|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"
_INTERVAL = re.compile(rf"^([(\[])\s*({_NUM})\s*,\s*({_NUM})\s*([)\]])$")
_NICE = (0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 3.0, -3.0, 1.5, -1.5, 4.0, -4.0, 5.0, 10.0,
         -10.0, 0.25, 7.0, -7.0)
_NAMED = {
    "real": ("real", -INF, INF, True, True), "positive": ("real", 0.0, INF, True, True),
    "negative": ("real", -INF, 0.0, True, True), "nonnegative": ("real", 0.0, INF, False, True),
    "nonpositive": ("real", -INF, 0.0, True, False),
    "integer": ("integer", -INF, INF, True, True),
    "positive integer": ("integer", 1.0, INF, False, True),
    "nonnegative integer": ("integer", 0.0, INF, False, True),
    "negative integer": ("integer", -INF, -1.0, True, False),
}


class DomainError(ValueError):
    """A domain spec that cannot be read (the loader names the file and field)."""


@dataclass(frozen=True)
class Domain:
    """Where a variable lives: reals or integers between two ends, or a finite set."""

    kind: str = "real"  # "real" | "integer" | "set"
    lo: float = -INF
    hi: float = INF
    lo_open: bool = True
    hi_open: bool = True
    values: tuple[float, ...] = ()

    @property
    def discrete(self) -> bool:
        return self.kind != "real"

    def contains(self, v: float) -> bool:
        if self.kind == "set":
            return v in self.values
        if self.kind == "integer" and v != int(v):
            return False
        above = v > self.lo or (v == self.lo and not self.lo_open)
        below = v < self.hi or (v == self.hi and not self.hi_open)
        return above and below and math.isfinite(v)

    def size(self) -> float:
        """How many distinct values (inf for a continuum or an unbounded integer range)."""
        if self.kind == "set":
            return len(self.values)
        if self.kind == "integer" and math.isfinite(self.lo) and math.isfinite(self.hi):
            return self.hi - self.lo + 1
        return INF

    def draw(self, rng: random.Random) -> float:
        """One value inside the domain: nice numbers, small, moderate, tiny and huge ones."""
        if self.kind == "set":
            return rng.choice(self.values)
        for _ in range(50):
            v = self._candidate(rng)
            if self.kind == "integer":
                v = float(round(v))
            if self.contains(v):
                return v
        return self._fallback()

    def _candidate(self, rng: random.Random) -> float:
        lo, hi = self.lo, self.hi
        r = rng.random()
        if r < 0.35:
            pick = _nice_in(self)
            if pick:
                return rng.choice(pick)
        if math.isfinite(lo) and math.isfinite(hi):
            if r < 0.65:
                return rng.uniform(lo, hi)
            gap = (hi - lo) * 10 ** rng.uniform(-8, -0.5)
            return lo + gap if rng.random() < 0.5 else hi - gap
        magnitude = _magnitude(rng)
        if math.isfinite(lo):
            return lo + magnitude
        if math.isfinite(hi):
            return hi - magnitude
        return magnitude if rng.random() < 0.5 else -magnitude

    def _fallback(self) -> float:
        if self.kind == "integer":
            lo = self.lo if math.isfinite(self.lo) else min(self.hi, 0.0)
            return lo
        lo = self.lo if math.isfinite(self.lo) else (self.hi - 1 if math.isfinite(self.hi) else 0.0)
        hi = self.hi if math.isfinite(self.hi) else lo + 2
        return (lo + hi) / 2

    def describe(self) -> str:
        if self.kind == "set":
            return "{" + ", ".join(_fmt(v) for v in self.values) + "}"
        ends = f"{'(' if self.lo_open else '['}{_fmt(self.lo)}, {_fmt(self.hi)}" \
               f"{')' if self.hi_open else ']'}"
        return f"integer in {ends}" if self.kind == "integer" else ends


@lru_cache(maxsize=256)
def _nice_in(d: Domain) -> tuple[float, ...]:
    """The nice numbers inside a domain (the same for every draw)."""
    return tuple(v for v in _NICE if d.contains(v))


def _magnitude(rng: random.Random) -> float:
    r = rng.random()
    if r < 0.35:
        return rng.uniform(0, 4)
    if r < 0.6:
        return rng.uniform(4, 30)
    if r < 0.75:
        return 10 ** rng.uniform(1.5, 3)
    if r < 0.88:
        return 10 ** rng.uniform(3, 8)
    return 10 ** rng.uniform(-7, -0.5)


def _fmt(v: float) -> str:
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return str(int(v)) if v == int(v) else repr(v)


def _number(text: str) -> float:
    v = float(text)
    if math.isnan(v):
        raise DomainError(f"{text!r} is not a number")
    return v


REAL = Domain()


@lru_cache(maxsize=512)
def parse_domain(spec: str) -> Domain:
    """The `Domain` of a spec (see the module docstring); raises `DomainError`."""
    if not isinstance(spec, str):
        raise DomainError("must be a string such as \"(0, 1)\", \"{0, 1}\" or \"positive integer\"")
    text = " ".join(spec.strip().lower().split())
    if text in _NAMED:
        kind, lo, hi, lo_open, hi_open = _NAMED[text]
        return Domain(kind, lo, hi, lo_open, hi_open)
    kind = "real"
    if text.startswith("integer in "):
        kind, text = "integer", text[len("integer in "):]
    if text.startswith("{") and text.endswith("}") and kind == "real":
        items = [t.strip() for t in text[1:-1].split(",")]
        if not items or not all(re.fullmatch(_NUM, t) for t in items):
            raise DomainError(f"{spec!r}: a finite set lists numbers, like {{0, 1}}")
        values = tuple(sorted({_number(t) for t in items}))
        if any(math.isinf(v) for v in values):
            raise DomainError(f"{spec!r}: a finite set cannot hold inf")
        return Domain("set", values[0], values[-1], False, False, values)
    m = _INTERVAL.match(text)
    if m is None:
        raise DomainError(f"{spec!r} is not a domain: write e.g. \"(0, 1)\", \"[0, inf)\", "
                          "\"{0, 1}\", \"positive\", \"integer\" or \"positive integer\"")
    lo, hi = _number(m.group(2)), _number(m.group(3))
    lo_open, hi_open = m.group(1) == "(", m.group(4) == ")"
    if not lo < hi or (math.isinf(lo) and not lo_open) or (math.isinf(hi) and not hi_open) \
            or lo == INF or hi == -INF:
        raise DomainError(f"{spec!r}: an interval needs low < high (and open at ±inf)")
    if kind == "integer":
        lo = math.ceil(lo) if math.isfinite(lo) else lo
        hi = math.floor(hi) if math.isfinite(hi) else hi
        return Domain("integer", float(lo), float(hi), False, False)
    return Domain("real", lo, hi, lo_open, hi_open)


def domains_of(pairs: object, names: tuple[str, ...]) -> tuple[Domain, ...]:
    """The domain of each name, in order (`pairs`: a mapping or (name, spec) pairs)."""
    table = dict(pairs) if pairs else {}  # type: ignore[call-overload]
    return tuple(parse_domain(table[n]) if n in table else REAL for n in names)


def _stratified(d: Domain, rng: random.Random, n: int) -> list[float]:
    """Up to `n` values of a continuous domain, one per stratum: every unit from -20 to 20 and
    every decade from 1e-7 to 1e8 on each unbounded side (so no region such as x > 100,
    x < -3.5 or 2 < x < 4 is left out), or equal slices of a bounded interval."""
    if d.discrete or n <= 0:
        return []
    if math.isfinite(d.lo) and math.isfinite(d.hi):
        out = [d.lo + (d.hi - d.lo) * (i + rng.random()) / n for i in range(n)]
    else:
        mags = [10 ** (k + rng.random()) for k in _DECADES]
        units = [k + rng.random() for k in range(_UNITS)]
        if math.isfinite(d.lo):
            out = [d.lo + m for m in units + mags]
        elif math.isfinite(d.hi):
            out = [d.hi - m for m in units + mags]
        else:
            out = [k - _UNITS + rng.random() for k in range(2 * _UNITS)] + mags + [-m for m in mags]
        rng.shuffle(out)
    return [v for v in out[:n] if d.contains(v)]


_DECADES = range(-7, 9)
_UNITS = 20
MIXED = 16
"""Values per variable not drawn from the strata: anchors, then the mixture."""
_ANCHORS = (0.0, 1.0, -1.0, 2.0, -2.0, 0.5, 3.0, -0.5)
ANCHORS = 6
"""Nice values always tried (when inside the domain): small integers and halves."""


def draw_points(domains: tuple[Domain, ...], count: int, seed: str) -> list[tuple[float, ...]]:
    """`count` points drawn inside the domains, from a generator seeded by `seed`: about half
    of each continuous variable's values stratified over every scale, the rest nice numbers,
    small, moderate and tiny ones; the nicest points (small integers and short decimals)
    first, so that counterexamples read well."""
    rng = random.Random(seed)
    columns = []
    for d in domains:
        values = [v for v in _ANCHORS if d.contains(v)][:min(count, ANCHORS)] if count > 1 else []
        values += _stratified(d, rng, count - MIXED)
        values += [d.draw(rng) for _ in range(count - len(values))]
        rng.shuffle(values)
        columns.append(values)
    if not domains:
        return [() for _ in range(count)]
    out = list(zip(*columns))
    # the points sorted by `_plainness` (stable), its terms computed once per value
    scores = [sum(s) for s in zip(*([_score(v) for v in c] for c in columns))]
    sizes = [max(s) for s in zip(*([abs(v) for v in c] for c in columns))]
    keys = list(zip(scores, sizes))
    return [out[i] for i in sorted(range(len(out)), key=keys.__getitem__)]


def _score(v: float) -> int:
    if v == int(v) and abs(v) <= 10:
        return 0
    return 1 if abs(v * 4 - round(v * 4)) < 1e-12 and abs(v) < 100 else 3


def _plainness(point: tuple[float, ...]) -> tuple[float, float]:
    """How plain a point reads (small integers first, then quarters, then the rest)."""
    return float(sum(_score(v) for v in point)), max((abs(v) for v in point), default=0.0)
