"""Shared helpers for the per-topic bank tests: checks in-process, plain-data inputs, answers."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from modl_tutor.bank.loader import load_bank, load_exercise
from modl_tutor.bank.models import Exercise
from modl_tutor.grading.code_grade import build_checks
from modl_tutor.grading.toolkit import Check
from tests.inprocess import copied, memoised, module_from_source, passes

REPO = Path(__file__).resolve().parents[2]
SEEDS = ("", "student-7")


@cache
def bank() -> Any:
    """The bank as loaded by the tools (non-strict: another topic's draft cannot break these)."""
    return load_bank(REPO / "exercises", strict=False)


def exercises(topic: str, slugs: tuple[str, ...] | None = None) -> list[Exercise]:
    """The topic's exercises (only `slugs` when given)."""
    found = [e for e in bank().by_topic(topic) if slugs is None or e.slug in slugs]
    return sorted(found, key=lambda e: e.slug)


@cache
def checks(topic: str, slug: str, seed: str = "") -> list[Check]:
    """The checks, built once; each reference and known-mistake value computed once."""
    return memoised(build_checks(REPO / "exercises" / topic / slug / "checks.py",
                                 f"{topic}/{slug}", seed))


def failed(topic: str, slug: str, source: str, seed: str = "") -> set[str]:
    """Names of the checks of `topic/slug` that `source` fails, run in-process."""
    code = load_exercise(REPO / "exercises" / topic / slug).code
    assert code is not None
    module = module_from_source(slug, source)
    with np.errstate(all="ignore"):
        return {c.name for c in checks(topic, slug, seed) if not passes(c, module, code.function)}


def messages(topic: str, slug: str, source: str, seed: str = "") -> dict[str, str]:
    """Failed check name -> the comparison's message, for `source` run in-process."""
    from modl_tutor.grading.toolkit import compare_outputs

    code = load_exercise(REPO / "exercises" / topic / slug).code
    assert code is not None
    module = module_from_source(slug, source)
    out = {}
    with np.errstate(all="ignore"):
        for check in checks(topic, slug, seed):
            if passes(check, module, code.function):
                continue
            try:
                got = getattr(module, code.function)(*copied(check.args), **copied(check.kwargs))
            except Exception as err:  # noqa: BLE001 - a crash is a failed check
                out[check.name] = f"{type(err).__name__}: {err}"
                continue
            out[check.name] = compare_outputs(got, check.expected_value(), check).message
    return out


def solution(topic: str, slug: str) -> str:
    return (REPO / "solutions" / topic / f"{slug}.py").read_text("utf-8")


def starter(topic: str, slug: str) -> str:
    return (REPO / "exercises" / topic / slug / "starter.py").read_text("utf-8")


def plain(value: Any) -> bool:
    """Plain data only: numbers, strings, bools, None, numeric arrays, and containers of them."""
    if value is None or isinstance(value, (bool, int, float, str, np.integer, np.floating)):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "iuf"
    if isinstance(value, (list, tuple)):
        return all(plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v) for k, v in value.items())
    return False


def part(exercise_id: str, name: str) -> Any:
    return next(p for p in bank().get(exercise_id).parts if p.name == name)


def answer_status(exercise_id: str, name: str, text: str) -> str:
    """How the answer engine judges `text` for one part ("correct", "incorrect", ...)."""
    from modl_tutor.answers.check import check_part

    return check_part(part(exercise_id, name), text, exercise_id=exercise_id, seed="").status


def vector(values: Any, digits: int = 4) -> str:
    """A computed vector written as a student would type it, rounded to `digits` decimals."""
    return "[" + ", ".join(f"{float(v):.{digits}f}" for v in np.ravel(values)) + "]"


def code_slugs(topic: str, slugs: tuple[str, ...] | None = None) -> list[str]:
    found = (p.parent.name for p in (REPO / "exercises" / topic).glob("*/checks.py"))
    return sorted(s for s in found if slugs is None or s in slugs)


def math_slugs(topic: str, slugs: tuple[str, ...] | None = None) -> list[str]:
    found = (p.parent.name for p in (REPO / "exercises" / topic).glob("*/exercise.toml")
             if not (p.parent / "checks.py").exists())
    return sorted(s for s in found if slugs is None or s in slugs)


def assert_code_exercise(topic: str, slug: str) -> None:
    """The bank's bar for a code exercise, checked in-process."""
    exercise = load_exercise(REPO / "exercises" / topic / slug)
    assert len(exercise.hints) >= 2, "at least two progressive hints"
    assert "do not modify" in exercise.prompt.lower(), "the prompt states the in-place rule"
    for seed in SEEDS:
        built = checks(topic, slug, seed)
        assert any(c.hidden for c in built), "a hidden check"
        assert any(c.hint or c.mistakes for c in built), "feedback for known mistakes"
        for check in built:
            assert check.run is None, f"{check.name}: no run= drivers"
            assert plain(check.args) and plain(check.kwargs), f"{check.name}: plain-data inputs"
        assert failed(topic, slug, solution(topic, slug), seed) == set(), seed
    assert failed(topic, slug, starter(topic, slug)) == {c.name for c in checks(topic, slug)}


def assert_math_exercise(topic: str, slug: str) -> None:
    """Canonical answers accepted, known mistakes refused, hints and a worked solution."""
    from modl_tutor.batch.verify import _math_findings

    exercise = bank().get(f"{topic}/{slug}")
    assert len(exercise.hints) >= 2
    assert (REPO / "solutions" / topic / f"{slug}.md").is_file()
    assert _math_findings(exercise) == []
    assert any(p.mistakes for p in exercise.parts), "known mistakes with feedback"
