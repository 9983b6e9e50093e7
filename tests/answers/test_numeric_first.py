"""The grader decides numerically first: light trees shaped exactly like the sympy ones, sympy
imported only for an exact constant difference, and the same verdicts as sympy-first."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from modl_tutor.answers import exact
from modl_tutor.answers.convert import exact_bits, to_sympy_expr
from modl_tutor.answers.equivalence import Verdict, _signature, compare
from modl_tutor.answers.evaluate import Budget, tree_size
from modl_tutor.answers.parser import parse_light, parse_math
from modl_tutor.bank.loader import default_bank

ROOT = Path(__file__).resolve().parents[2]


def _texts() -> list[tuple[str, tuple[str, ...]]]:
    from modl_tutor.grading.core import for_student

    out = []
    for e in default_bank():
        for p in for_student(e, "light").parts:
            if p.type in ("expression", "number", "vector"):
                out += [(t, tuple(p.variables)) for t in
                        (p.expected, *(m.expected for m in p.mistakes))]
    return sorted(set(out))


ODD = ["-0.0", "max(x, x)", "max(2.5, x, 2)", "min(x + 1, y + 2)", "relu(x)", "1.5e-400",
       "3.14159265358979323846264338", "log10(x)", "log(x, 3)", "--x", "x^-2^-1", "σ(x)·(1−x)",
       "sqrt(x)^2", "12345678901234567890123", "[[1, x], [y, 2]]", "e^x*pi/2", "abs(-2)"]


@pytest.mark.parametrize("text, names", _texts() + [(t, ("x", "y")) for t in ODD],
                         ids=lambda v: str(v)[:40])
def test_the_light_tree_is_the_sympy_tree(text: str, names: tuple[str, ...]) -> None:
    light, heavy = parse_light(text, variables=names), parse_math(text, variables=names)
    assert to_sympy_expr(light) == heavy
    for a, b in zip(light if isinstance(light, tuple) else (light,),
                    heavy if isinstance(heavy, tuple) else (heavy,)):
        if isinstance(a, tuple):
            continue
        assert _signature(a) == _signature(b)      # the same points are drawn
        assert tree_size(a) == tree_size(b)        # the same work is counted
        assert str(a) == str(b) or not a.is_Atom


PAIRS = [("sigmoid(x)*(1-sigmoid(x))", "exp(-x)/(1+exp(-x))^2", "equivalent"),
         ("x", "x + 1e-300", "not equivalent"),          # only the exact difference sees it
         ("x", "x + 2^-1000", "not equivalent"),
         ("x^3/3 + x + 1", "x^3/3 + x", "not equivalent"),
         ("2", "sqrt(x)^2 - x + 1", "not equivalent"),
         ("relu(x)", "(x + abs(x))/2", "equivalent"),
         ("x/x", "1", "equivalent"),
         ("sigmoid(x)", "1/(1+e^x)", "not equivalent"),
         ("0.1*x + 0.2*x", "0.3*x", "equivalent"),
         ("2", "3", "not equivalent")]


@pytest.mark.parametrize("a, b, want", PAIRS)
def test_numbers_first_gives_the_exact_first_verdict_and_witness(a: str, b: str,
                                                                 want: str) -> None:
    light = compare(parse_light(a), parse_light(b), budget=Budget())
    heavy = compare(parse_math(a), parse_math(b), budget=Budget())   # sympy trees: exact first
    assert light[0] is heavy[0] and light[0].value == want
    lw, hw = light[1], heavy[1]
    assert (lw is None) == (hw is None)
    if lw is not None:
        assert lw.describe() == hw.describe()


def test_sympy_is_asked_only_when_the_numbers_cannot_rule_out_a_constant(monkeypatch) -> None:
    asked: list[str] = []
    real = exact.difference
    monkeypatch.setattr(exact, "difference", lambda a, b: asked.append(str(b)) or real(a, b))
    assert compare("sigmoid(x)*(1-sigmoid(x))", "exp(-x)/(1+exp(-x))^2")[0] is Verdict.EQUIVALENT
    assert compare("sigmoid(x)", "sigmoid(x)*(1-sigmoid(x))")[0] is Verdict.NOT_EQUIVALENT
    assert asked == []
    verdict, witness = compare("x + 1", "x")
    assert verdict is Verdict.NOT_EQUIVALENT and witness.difference == 1 and asked


@pytest.mark.parametrize("text, bounded", [("x/3 + 1/2", True), ("e^(-x)/(1+e^-x)^2", True),
                                           ("2^x", False),
                                           ("x + 1e-500", False), ("(x + 1/3)^2000", False)])
def test_the_bound_on_exact_constants_gives_up_where_it_must(text: str, bounded: bool) -> None:
    assert (exact_bits(parse_light(text)) is not None) is bounded


def test_modl_equiv_previews_without_sympy() -> None:
    from modl_tutor.answers.equiv_texts import equiv_report

    report = equiv_report("x^2", "x*x")
    assert report["equivalent"] is True and report["a"] == " 2\nx" and report["b"] == "x⋅x"


def test_grading_does_not_draw_the_preview_until_it_is_read() -> None:
    from modl_tutor.answers.check import check_part

    part = default_bank().get("derivatives/sigmoid_prime").part("answer")
    outcome = check_part(part, "e^-x/(1+e^-x)^2")
    assert outcome.status == "correct" and callable(outcome.shown)
    assert "─" in outcome.preview and "ℯ" in outcome.preview
    assert outcome.shown == outcome.preview


CHILD = textwrap.dedent("""
    import sys
    from modl_tutor.cli import main
    runs = [["answer", "derivatives/sigmoid_prime", "sigmoid(x)*(1-sigmoid(x))"],
            ["answer", "derivatives/sigmoid_prime", "sigmoid(x)"],
            ["answer", "derivatives/sigmoid_prime", "-2*sigmoid(x)*(1 - sigmoid(x))"],
            ["answer", "precision/fp16_max", "65504"],
            ["answer", "precision/fp16_max", "65505"],
            ["answer", "losses/softmax_example", "[0.842, 0.0419, 0.00209, 0.114]"],
            ["answer", "derivatives/activation_choice", "a"],
            ["list"], ["list", "--json"]]
    for argv in runs:
        try:
            main(["-w", sys.argv[1], *argv], standalone_mode=False)
        except SystemExit:
            pass
        print("LOADED", argv[:2], sorted(m for m in ("sympy", "torch", "numpy")
                                         if m in sys.modules), flush=True)
""")


def test_common_commands_never_import_sympy(tmp_path: Path) -> None:
    """`modl answer` (right, wrong, a number, a vector, a choice) and `modl list` over the
    answers they recorded, in a fresh interpreter as typed: sympy is never imported."""
    from modl_tutor.workspace.workspace import init_workspace

    root = tmp_path / "ws"
    init_workspace(root, default_bank(), student="lazy")
    done = subprocess.run([sys.executable, "-c", CHILD, str(root)], capture_output=True,
                          text=True, cwd=tmp_path, timeout=120,
                          env={"PATH": "", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)})
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("LOADED")]
    assert len(lines) == 9, done.stdout[-2000:] + done.stderr[-2000:]
    assert all(ln.endswith("[]") for ln in lines), "\n".join(lines)
    assert "answers.toml" not in done.stderr or "Traceback" not in done.stderr


def _audit_expression_probes() -> list[tuple[str, str, str, str]]:
    from modl_tutor.grading.core import for_student
    from tests.answers.audit_cases import all_cases

    out = []
    for case in all_cases():
        part = for_student(default_bank().get(case.exercise), case.seed).part(case.part)
        if part.type == "expression":
            out += [(case.exercise, case.part, case.seed, t) for t in (*case.right, *case.wrong)]
    return out[::3]


@pytest.mark.parametrize("probe", _audit_expression_probes(),
                         ids=lambda p: f"{p[0].split('/')[1]}:{p[3][:30]}")
def test_audit_answers_get_the_verdict_and_witness_of_the_exact_first_order(probe) -> None:
    from modl_tutor.grading.core import for_student

    exercise, part_name, seed, text = probe
    part = for_student(default_bank().get(exercise), seed).part(part_name)
    names = tuple(part.variables)
    try:
        light = parse_light(text, variables=names)
    except Exception:  # noqa: BLE001 - an unreadable probe has no verdict to compare
        return
    want = parse_light(part.expected, variables=names)
    got = compare(light, want, variables=names, domains=part.domains, budget=Budget())
    old = compare(to_sympy_expr(light), to_sympy_expr(want), variables=names,
                  domains=part.domains, budget=Budget())
    assert got[0] is old[0]
    assert (got[1] is None) == (old[1] is None)
    if got[1] is not None:
        assert got[1].describe() == old[1].describe()
