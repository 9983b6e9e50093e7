"""`modl verify`: the bank is valid, solutions earn full marks, starters earn none."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click

from modl_tutor import paths
from modl_tutor.bank.loader import Bank, load_bank, validate_bank
from modl_tutor.bank.models import Exercise
from modl_tutor.grading.client import CodeGrader, code_request
from modl_tutor.result import ExerciseResult


@dataclass
class Finding:
    """One problem found by verify."""

    exercise: str
    problem: str


def _math_findings(exercise: Exercise) -> list[Finding]:
    from modl_tutor.answers.check import check_part

    findings = []
    for part in exercise.parts:
        if part.type == "choice":
            from modl_tutor.answers.choices import display_order

            order = display_order(part, "", exercise.id)
            text = ", ".join(chr(ord("a") + order.index(i)) for i in part.correct)
        else:
            text = part.expected
        outcome = check_part(part, text, exercise_id=exercise.id, seed="")
        if outcome.status != "correct":
            findings.append(Finding(exercise.id, f"part {part.name!r}: the canonical answer "
                                                 f"{text!r} is not accepted ({outcome.status}: "
                                                 f"{outcome.message})"))
        for mistake in part.mistakes:
            wrong = check_part(part, mistake.expected, exercise_id=exercise.id, seed="")
            if wrong.status == "correct":
                findings.append(Finding(exercise.id, f"part {part.name!r}: known mistake "
                                                     f"{mistake.expected!r} is accepted as correct"))
    if not exercise.solution.strip():
        findings.append(Finding(exercise.id, "no worked solution (solutions/<topic>/<slug>.md)"))
    return findings


def _code_findings(bank: Bank, grader: CodeGrader) -> list[Finding]:
    findings: list[Finding] = []
    scratch = Path(tempfile.mkdtemp(prefix="modl-verify-"))
    try:
        jobs = []
        for exercise in bank:
            if not exercise.is_code:
                continue
            solution = bank.solutions_root / exercise.topic / f"{exercise.slug}.py"
            if not solution.is_file():
                findings.append(Finding(exercise.id, f"reference solution {solution} is missing"))
            else:
                target = scratch / "solution" / exercise.workspace_file
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(solution, target)
                jobs.append(("solution", exercise, grader.submit(code_request(exercise, str(target)))))
            target = scratch / "starter" / exercise.workspace_file
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(exercise.starter_path, target)
            jobs.append(("starter", exercise, grader.submit(code_request(exercise, str(target)))))
        for role, exercise, box in jobs:
            result = ExerciseResult.from_dict({**box.get(), "id": exercise.id})
            if role == "solution" and not result.full_marks:
                failing = [c for c in result.checks if not c.passed]
                detail = failing[0].name + ": " + failing[0].message.splitlines()[0] if failing \
                    else result.message
                findings.append(Finding(exercise.id, f"reference solution scores "
                                                     f"{result.score:g}/{result.max_score:g} "
                                                     f"({detail})"))
            if role == "starter" and result.score > 0:
                passing = [c.name for c in result.checks if c.passed]
                findings.append(Finding(exercise.id, f"starter earns {result.score:g} points "
                                                     f"(passes: {', '.join(passing)})"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return findings


def run_verify(*, jobs: int | None = None, root: Path | None = None) -> bool:
    """Run every verification and print one line per problem; True when the bank is sound."""
    root = root or paths.exercises_dir()
    problems = validate_bank(root)
    for problem in problems:
        click.echo(f"✗ {problem}")
    bank = load_bank(root, strict=False)
    findings: list[Finding] = []
    for exercise in bank:
        if not exercise.is_code:
            findings.extend(_math_findings(exercise))
    with CodeGrader(jobs=jobs) as grader:
        findings.extend(_code_findings(bank, grader))
    for finding in findings:
        click.echo(f"✗ {finding.exercise}: {finding.problem}")
    ok = not problems and not findings
    summary = (f"{len(bank)} exercises checked: "
               + ("all solutions earn full marks, all starters earn none." if ok
                  else f"{len(problems) + len(findings)} problem(s)."))
    click.echo(("✓ " if ok else "✗ ") + summary)
    return ok
