"""`modl verify`: the bank is valid, solutions earn full marks, starters none, grading is repeatable."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from modl_tutor import paths
from modl_tutor.bank.loader import Bank, load_bank, validate_bank
from modl_tutor.bank.models import Exercise
from modl_tutor.grading.client import CodeGrader, code_request
from modl_tutor.result import ExerciseResult

VARIANT_SEEDS = ("", "verify-a", "verify-b")
"""Seeds under which exercises with `[params]` must accept their own canonical answer."""


@dataclass
class Finding:
    """One problem found by verify."""

    exercise: str
    problem: str


@dataclass
class VerifyReport:
    """Everything verify found: invalid files, per-exercise problems, what was checked."""

    invalid: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.invalid and not self.findings


def sandbox_warning(capabilities: dict[str, Any] | None = None) -> str:
    """A one-line warning when the sandbox can only apply resource limits, else '' (from a
    started grader's `capabilities`, else a runner started briefly to ask)."""
    from modl_tutor.grading.client import probe_capabilities

    caps = capabilities if capabilities is not None else probe_capabilities()
    return str(caps.get("warning") or "") if caps.get("limits_only") else ""


def _accepted_text(exercise: Exercise, part: Any, seed: str) -> str:
    if part.type == "derivation":
        return "\n".join(part.steps)
    if part.type != "choice":
        return part.expected
    from modl_tutor.answers.choices import display_order, letter

    order = list(display_order(part, seed, exercise.id))
    return ", ".join(letter(order.index(i)) for i in part.correct)


def _math_findings(exercise: Exercise) -> list[Finding]:
    """The canonical answer of every part is accepted and no known mistake is."""
    from modl_tutor.answers.check import check_part
    from modl_tutor.grading.core import for_student

    findings = []
    for seed in VARIANT_SEEDS if exercise.params else ("",):
        variant = for_student(exercise, seed)
        where = f" (variant for student {seed!r})" if exercise.params else ""
        for part in variant.parts:
            text = _accepted_text(variant, part, seed)
            if part.type == "derivation":
                findings += _derivation_findings(exercise.id + where, part)
                continue
            outcome = check_part(part, text, exercise_id=variant.id, seed=seed)
            if outcome.status != "correct":
                findings.append(Finding(exercise.id, f"part {part.name!r}{where}: the canonical "
                                        f"answer {text!r} is not accepted ({outcome.status}: "
                                        f"{outcome.message})"))
            for mistake in part.mistakes:
                wrong = check_part(part, mistake.expected, exercise_id=variant.id, seed=seed)
                if wrong.status == "correct":
                    findings.append(Finding(exercise.id, f"part {part.name!r}{where}: known "
                                            f"mistake {mistake.expected!r} is accepted"))
    if not exercise.solution.strip():
        findings.append(Finding(exercise.id, "no worked solution (solutions/<topic>/<slug>.md)"))
    return findings


def _derivation_findings(label: str, part: Any) -> list[Finding]:
    """The canonical steps (and the final answer alone, where allowed) earn full marks; each
    known broken route is rejected at its declared line with its slip named."""
    from modl_tutor.answers.derivation import DerivationSpec, check_derivation

    spec = DerivationSpec.of(part)
    findings = []
    good = check_derivation(spec, list(part.steps))
    if good.status != "correct":
        findings.append(Finding(label, f"the canonical steps are not accepted ({good.status}: "
                                       f"{good.message.splitlines()[0] if good.message else ''})"))
    for i, route in enumerate(part.broken):
        bad = check_derivation(spec, list(route.steps))
        if bad.status == "correct" or bad.first_broken != route.line:
            findings.append(Finding(label, f"broken[{i}]: expected line {route.line} flagged, got "
                                           f"{bad.status} at line {bad.first_broken}"))
        elif route.slip and route.slip.lower() not in bad.message.lower():
            findings.append(Finding(label, f"broken[{i}]: the message does not name the slip "
                                           f"{route.slip!r}: {bad.message.splitlines()[0]}"))
    for i, mistake in enumerate(part.mistakes):
        if check_derivation(spec, [mistake.expected]).final_correct:
            findings.append(Finding(label, f"mistakes[{i}] is accepted as the final answer"))
    return findings


def _safe_math_findings(exercise: Exercise) -> list[Finding]:
    try:
        return _math_findings(exercise)
    except ImportError as err:
        return [Finding(exercise.id, f"the answer engine is not available ({err})")]
    except Exception as err:  # noqa: BLE001 - report, never crash, on a broken exercise
        return [Finding(exercise.id, f"checking the answers raised {type(err).__name__}: {err}")]


def _first_failure(result: ExerciseResult) -> str:
    failing = [c for c in result.checks if not c.passed]
    if failing:
        lines = failing[0].message.splitlines()
        return failing[0].name + (": " + lines[0] if lines else "")
    return result.message.splitlines()[0] if result.message else result.status


def _signature(result: ExerciseResult) -> list[tuple[str, bool, float]]:
    return [(c.name, c.passed, round(c.score, 9)) for c in result.checks]


def _fresh(request: dict[str, Any]) -> dict[str, Any]:
    """Verify is the independent truth: every reference recomputed with torch, none read
    from the reference store."""
    return {**request, "fresh_references": True}


class _CodeRun:
    """Submit every code job up front (solutions twice, starters once), judge them later."""

    def __init__(self, bank: Bank, exercises: list[Exercise], grader: CodeGrader) -> None:
        self.scratch = Path(tempfile.mkdtemp(prefix="modl-verify-"))
        self.findings: list[Finding] = []
        self.jobs: list[tuple[Exercise, Any, Any, Any]] = []
        for exercise in exercises:
            solution = bank.solutions_root / exercise.topic / f"{exercise.slug}.py"
            boxes: list[Any] = [None, None]
            if not solution.is_file():
                self.findings.append(Finding(exercise.id, f"reference solution {solution} is "
                                                          "missing"))
            else:
                target = self._copy(solution, "solution", exercise)
                boxes = [grader.submit(_fresh(code_request(exercise, str(target))))
                         for _ in range(2)]
            starter = None
            if exercise.starter_path.is_file():
                target = self._copy(exercise.starter_path, "starter", exercise)
                starter = grader.submit(_fresh(code_request(exercise, str(target))))
            else:
                self.findings.append(Finding(exercise.id, f"{exercise.starter_path} is missing"))
            self.jobs.append((exercise, boxes[0], boxes[1], starter))

    def _copy(self, source: Path, role: str, exercise: Exercise) -> Path:
        target = self.scratch / role / exercise.workspace_file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
        return target

    def collect(self) -> list[Finding]:
        try:
            for exercise, first, second, starter in self.jobs:
                self.findings.extend(_judge_code(exercise, first, second, starter))
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)
        return self.findings


def _judge_code(exercise: Exercise, first: Any, second: Any, starter: Any) -> list[Finding]:
    findings = []
    if first is not None:
        one = ExerciseResult.from_dict({**first.get(), "id": exercise.id})
        two = ExerciseResult.from_dict({**second.get(), "id": exercise.id})
        if not one.full_marks:
            findings.append(Finding(exercise.id, f"reference solution scores {one.score:g}/"
                                                 f"{one.max_score:g} ({_first_failure(one)})"))
        if _signature(one) != _signature(two) or abs(one.score - two.score) > 1e-9:
            changed = [a[0] for a, b in zip(_signature(one), _signature(two)) if a != b]
            findings.append(Finding(exercise.id, "grading is not repeatable: two runs of the "
                                                 f"solution scored {one.score:g} and "
                                                 f"{two.score:g}" + (f" (checks: "
                                                 f"{', '.join(changed)})" if changed else "")))
    if starter is not None:
        result = ExerciseResult.from_dict({**starter.get(), "id": exercise.id})
        if result.score > 0:
            passing = [c.name for c in result.checks if c.passed]
            findings.append(Finding(exercise.id, f"starter earns {result.score:g} points "
                                                 f"(passes: {', '.join(passing)})"))
    return findings


def collect(*, jobs: int | None = None, root: Path | None = None,
            topic: str | None = None, grader: CodeGrader | None = None) -> VerifyReport:
    """Run every verification of the bank at `root` (default: the installed bank)."""
    from modl_tutor.bank.starters import starter_statuses

    root = Path(root) if root is not None else paths.exercises_dir()
    report = VerifyReport()
    report.invalid = [str(problem) for problem in validate_bank(root)
                      if topic is None or f"/{topic}/" in str(problem.path).replace("\\", "/")]
    bank = load_bank(root, strict=False, cached=False)
    chosen = [e for e in bank if topic is None or e.topic == topic]
    report.checked = [e.id for e in chosen]
    wanted = set(report.checked)
    for status in starter_statuses(bank):
        if status.exercise in wanted and not status.in_sync:
            report.findings.append(Finding(status.exercise, status.problem))
    code = [e for e in chosen if e.is_code]
    own = grader is None and bool(code)
    active = grader if grader is not None else CodeGrader(jobs=jobs) if code else None
    try:
        run = _CodeRun(bank, code, active) if active is not None else None
        for exercise in chosen:  # math runs in-process while the zygote grades the code
            if not exercise.is_code:
                report.findings.extend(_safe_math_findings(exercise))
        if run is not None:
            report.findings.extend(run.collect())
    finally:
        if own and active is not None:
            active.close()
    order = {e: i for i, e in enumerate(report.checked)}
    report.findings.sort(key=lambda f: order.get(f.exercise, -1))
    return report


def run_verify(*, jobs: int | None = None, root: Path | None = None, topic: str | None = None,
               echo: Callable[[str], None] = click.echo) -> bool:
    """Verify the bank, print one line per problem and a summary; True when the bank is sound."""
    warning = sandbox_warning()
    if warning:
        echo(f"! warning: {warning}")
    report = collect(jobs=jobs, root=root, topic=topic)
    for problem in report.invalid:
        echo(f"✗ {problem}")
    bad = {f.exercise for f in report.findings}
    for exercise_id in report.checked:
        if exercise_id not in bad:
            echo(f"✓ {exercise_id}")
        for finding in (f for f in report.findings if f.exercise == exercise_id):
            echo(f"✗ {exercise_id}: {finding.problem}")
    for finding in (f for f in report.findings if f.exercise not in report.checked):
        echo(f"✗ {finding.exercise}: {finding.problem}")
    scope = f" in topic {topic}" if topic else ""
    if report.ok:
        echo(f"✓ {len(report.checked)} exercise(s){scope} verified: the bank is valid, every "
             "solution earns full marks twice over, every starter earns none, canonical answers "
             "are accepted and known mistakes rejected.")
    else:
        echo(f"✗ {len(report.invalid) + len(report.findings)} problem(s) in "
             f"{len(bad) + len(report.invalid)} of {len(report.checked) + len(report.invalid)} "
             f"exercise(s){scope}.")
    return report.ok
