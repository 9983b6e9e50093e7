"""The points a comparison draws are pinned: the per-pair seed (`equivalence._signature`) and
`domains.draw_points` give exactly the texts and points they gave before their fast paths
(the digests below were computed with the plain code), so no verdict moves."""

from __future__ import annotations

import hashlib
import json

import pytest

from modl_tutor.answers.domains import _plainness, domains_of, draw_points
from modl_tutor.answers.equivalence import _leaf_text, _signature
from modl_tutor.answers.parser import parse_light, parse_math

CASES = [(("x",), None, 88), (("w", "x", "y"), {"y": "[0, 1]", "w": "[-3, 3]"}, 120),
         (("n", "x"), {"n": "integer in [1, 10]", "x": "positive"}, 100),
         (("s", "t"), {"s": "{0, 1}", "t": "nonnegative"}, 100)]
TEXT = "x*(1 - 1/(1 + exp(-w*x)))/2 + 3/7*y - 0.5"


def test_the_points_drawn_are_pinned() -> None:
    h = hashlib.sha256()
    for names, doms, n in CASES:
        for seed in ("a", "b|narrow"):
            h.update(json.dumps(draw_points(domains_of(doms, names), n, seed)).encode())
    assert h.hexdigest() == "68b90311c89ad95d90c287fe6447993da5a1767b77440313c4559078349c3afe"


@pytest.mark.parametrize(("names", "doms", "n"), CASES)
def test_the_points_come_plainest_first(names: tuple[str, ...], doms: object, n: int) -> None:
    points = draw_points(domains_of(doms, names), n, "c")
    assert len(points) == n
    keys = [_plainness(p) for p in points]
    assert keys == sorted(keys)
    assert draw_points((), 3, "c") == [(), (), ()] and draw_points(domains_of(doms, names), 0,
                                                                   "c") == []


def test_the_seed_text_is_pinned() -> None:
    digest = "05720d7c5c07950e826d3cdea6d4712ae4619f2f959c998a053dad7aeb019668"
    assert _signature(parse_math(TEXT, variables=["x", "y", "w"])) == digest
    assert _signature(parse_light(TEXT)) == digest


def test_leaf_texts_are_the_printers() -> None:
    import sympy

    leaves = [sympy.Symbol("x"), sympy.Dummy("x"), sympy.Integer(-3), sympy.S.One, sympy.S.Zero,
              sympy.S.NegativeOne, sympy.S.Half, sympy.Rational(-3, 4), sympy.Float("0.1"),
              sympy.E, sympy.pi, sympy.Integer(10) ** 40]
    leaves += [parse_light(t) for t in ("x", "3", "-1", "1/2", "0.25", "e", "pi", "7/3")]
    for leaf in leaves:
        assert _leaf_text(leaf, type(leaf).__name__) == str(leaf), leaf
