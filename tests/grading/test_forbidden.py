"""The static check: forbidden imports, aliases, star imports and getattr tricks, with lines."""

from __future__ import annotations

import pytest

from modl_tutor.grading.forbidden import find_forbidden

EXTRA = ("scipy.special.softmax",)


def problems(source: str) -> list[str]:
    return find_forbidden(source, EXTRA, "losses/softmax.py")


@pytest.mark.parametrize("source,line,fragment", [
    ("import torch", 1, "`import torch` is not allowed"),
    ("import numpy as np\nimport torch as t\nx = t.softmax", 3, "`t.softmax`"),
    ("from torch import nn", 1, "from torch import"),
    ("import torch.nn.functional as F", 1, "torch.nn.functional"),
    ("import scipy.special as sp\ny = sp.softmax(1)", 2, "`sp.softmax`"),
    ("from scipy import special\nspecial.softmax(1)", 1, "from scipy import special"),
    ("from scipy.special import softmax as sm", 1, "scipy.special"),
    ("from scipy import *", 1, "from scipy import *"),
    ("import jax.numpy as jnp", 1, "jax"),
    ("x = eval('1')", 1, "`eval`"),
    ("run = exec", 1, "`exec`"),
    ("c = compile('1', 'f', 'eval')", 1, "`compile`"),
    ("m = __import__('torch')", 1, "`__import__`"),
    ("import importlib\nimportlib.import_module('torch')", 1, "importlib"),
    ("import builtins\nbuiltins.eval('1')", 2, "`builtins.eval`"),
    ("f = __builtins__['ev' + 'al']", 1, "`__builtins__`"),
    ("g = globals()", 1, "`globals`"),
    ("import sys\nt = sys.modules['torch']", 2, "sys.modules"),
    ("import sys\nframe = sys._getframe(1)", 2, "sys._getframe"),
    ("def f():\n    pass\nf.__globals__", 3, "`.__globals__`"),
    ("import numpy as np\ngetattr(np.exp, '__globals__')", 2, "__globals__"),
    ("import sys\nm = getattr(sys, 'modules')", 2, "getattr(sys, 'modules')"),
    ("import os\nf = getattr(os, 'sys' + 'tem')", 2, "computed name"),
    ("import gc\ngc.get_objects()", 1, "`import gc`"),
    ("import inspect", 1, "inspect"),
    ("import ctypes", 1, "ctypes"),
    ("import subprocess", 1, "subprocess"),
    ("from . import helper", 1, "relative import"),
    ("x = [].__class__.__base__.__subclasses__()", 1, "__subclasses__"),
])
def test_forbidden_constructs_are_flagged_with_their_line(source, line, fragment):
    found = problems(source)
    assert found, source
    assert any(p.startswith(f"line {line}:") and fragment in p for p in found), found


def test_exercise_specific_rule_says_write_it_yourself():
    found = find_forbidden("from mylib import softmax_helper", ("mylib.softmax_helper",))
    assert found == ["line 1: `from mylib import softmax_helper` is not allowed in this "
                     "exercise (write it with NumPy yourself)"]


@pytest.mark.parametrize("source", [
    "import numpy as np\n\ndef softmax(z, axis=-1):\n    e = np.exp(z - z.max(axis=axis, keepdims=True))\n"
    "    return e / e.sum(axis=axis, keepdims=True)\n",
    "from numpy import *\n",
    "import math\nimport numpy.linalg as la\nx = la.norm([1.0])\n",
    "from scipy import linalg\n",
    "import numpy as np\nv = getattr(np, 'float32')\n",
    "class A:\n    def __init__(self):\n        self.x = 1\n",
    "torch_like = 3\nprint(torch_like)\n",
])
def test_ordinary_numpy_code_passes(source):
    assert problems(source) == []


def test_syntax_errors_are_raised_not_swallowed():
    with pytest.raises(SyntaxError):
        problems("def softmax(z:\n")


def test_one_message_per_distinct_finding():
    found = problems("import torch\nimport torch\n")
    assert found == ["line 1: `import torch` is not allowed: submissions use NumPy only",
                     "line 2: `import torch` is not allowed: submissions use NumPy only"]


def test_a_name_is_judged_by_the_first_rule_it_matches_as_listed():
    """`flag` looks a name's dotted prefixes up (no longer than the longest rule) instead of
    trying every rule: the same rule (the first listed that the name equals or extends) and so
    the same message."""
    import itertools

    from modl_tutor.grading.forbidden import _BUILTIN_RULES, ALWAYS_FORBIDDEN, _Finder, _matches

    extra = ("np.linalg", "np.linalg.norm", "numpy.fft", "scipy", "a.b.c")
    rules = tuple(dict.fromkeys((*ALWAYS_FORBIDDEN, *extra)))
    words = ("np", "numpy", "linalg", "norm", "fft", "sys", "modules", "torch", "nn", "a", "b",
             "c", "scipy", "special", "importlib", "util", "os", "builtins", "eval", "x")
    names = [".".join(p) for n in (1, 2, 3) for p in itertools.product(words, repeat=n)]
    names += [".".join(p) for p in itertools.product(("np", "linalg", "a", "b", "c", "torch"),
                                                      repeat=5)]  # longer than any rule
    flagged = 0
    for name in names:
        finder = _Finder(rules, extra)
        hit = finder.flag(name, 1)
        shown, bare = name, name.partition(".")[2]
        if name.startswith("builtins.") and bare in _BUILTIN_RULES and bare in rules:
            shown = bare  # `builtins.eval` is reported as `eval`
        first = next((r for r in rules if _matches(shown, r)), None)
        assert hit == (first is not None), name
        if first is not None:
            flagged += 1
            assert finder.problems == [f"line 1: `{shown}` {finder._why(first)}"], name
    assert flagged > 100  # the table above really exercises the rules


def test_the_scan_visits_every_node_as_nodevisitor_does(monkeypatch):
    """The finder's own dispatch (a handler per node type, looked up once) finds exactly what
    `ast.NodeVisitor`'s visit finds, on every Python file of the bank, the hostile
    submissions and the grader's own package (hundreds of findings)."""
    import ast
    from pathlib import Path

    from modl_tutor.grading import forbidden

    class Plain(forbidden._Finder):
        visit = ast.NodeVisitor.visit
        generic_visit = ast.NodeVisitor.generic_visit

    repo = Path(__file__).resolve().parents[2]
    files = sorted(p for folder in ("exercises", "solutions", "tests/grading/hostile",
                                    "modl_tutor/grading") for p in (repo / folder).rglob("*.py"))
    assert len(files) > 200

    def scan(path: Path) -> list[str]:
        try:
            return find_forbidden(path.read_text(encoding="utf-8"), ("numpy.linalg",))
        except SyntaxError as err:  # a hostile file that does not parse
            return [f"SyntaxError {err.lineno}"]

    ours = [scan(p) for p in files]
    monkeypatch.setattr(forbidden, "_Finder", Plain)
    assert [scan(p) for p in files] == ours
    assert sum(map(len, ours)) > 300


@pytest.mark.parametrize("root", ["x", "torch", "np.linalg"])
def test_a_very_long_attribute_chain_is_judged_by_its_first_parts(root):
    """A hostile `x.a.a.a…` (hundreds of parts, each visited) costs one split per name, not a
    join per prefix: the scan ends at once, and a forbidden root is still named."""
    source = f"import numpy as np\nimport torch\ndef f(x):\n    return {root}" + ".a" * 300 + "\n"
    found = find_forbidden(source, ("numpy.linalg",))
    if root == "x":
        assert found == ["line 2: `import torch` is not allowed: submissions use NumPy only"]
    else:
        assert any(f"line 4: `{root}.a.a" in problem for problem in found), found
