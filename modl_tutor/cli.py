"""The `modl` command line: thin click commands over the bank, grading and reports services."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from modl_tutor.errors import ModlError


class Fail(click.ClickException):
    """A one-line error with exit status 2 (usage or input error), never a traceback."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"modl: error: {self.message}", err=True)


def _bank():  # type: ignore[no-untyped-def]
    from modl_tutor.bank.loader import default_bank

    try:
        return default_bank()
    except ModlError as err:
        raise Fail(str(err)) from None


def _exercise(exercise_id: str):  # type: ignore[no-untyped-def]
    try:
        return _bank().get(exercise_id)
    except ModlError as err:
        raise Fail(str(err)) from None


def _workspace(option: str | None, *, create: bool = True):  # type: ignore[no-untyped-def]
    """The workspace named by --workspace, else the one around the cwd, else the default."""
    from modl_tutor.workspace.workspace import (Workspace, default_workspace, find_workspace,
                                                init_workspace, is_workspace)

    if option:
        root = Path(option)
        if not root.is_dir():
            raise Fail(f"{root}: workspace folder not found (create one with `modl init {root}`)")
        return Workspace(root)
    found = find_workspace()
    if found is not None:
        return Workspace(found)
    root = default_workspace()
    if not is_workspace(root):
        if not create:
            raise Fail("no workspace here; run `modl init DIR` or pass --workspace DIR")
        init_workspace(root, _bank())
        click.echo(f"modl: created your workspace in {root}", err=True)
    return Workspace(root)


def _progress(workspace):  # type: ignore[no-untyped-def]
    from modl_tutor.progress.store import ProgressStore

    return ProgressStore.for_workspace(workspace.root)


def _exit(code: int) -> NoReturn:
    sys.exit(code)


@click.group(invoke_without_command=True)
@click.option("--workspace", "-w", "workspace_opt", metavar="DIR",
              help="Workspace folder (default: the current one, else your default workspace).")
@click.version_option(package_name="modl-tutor", prog_name="modl")
@click.pass_context
def main(ctx: click.Context, workspace_opt: str | None) -> None:
    """modl-tutor: practise the Mathematics of Deep Learning in your terminal.

    Run `modl` alone to open the app.
    """
    if ctx.invoked_subcommand is None:
        from modl_tutor.tui.app import run_app

        workspace = _workspace(workspace_opt)
        run_app(workspace.root)


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--student", metavar="ID", help="Student id (chooses your exercise variants).")
@click.option("--force", is_flag=True, help="Add missing files to an existing workspace.")
def init(directory: str, student: str | None, force: bool) -> None:
    """Create a workspace in DIRECTORY from the starters."""
    from modl_tutor.workspace.workspace import init_workspace

    try:
        created = init_workspace(Path(directory), _bank(), student=student, force=force)
    except ModlError as err:
        raise Fail(str(err)) from None
    click.echo(f"Workspace ready in {Path(directory).resolve()} ({len(created)} files created).")
    click.echo("Next: `modl` opens the app; `modl list` shows the exercises; "
               "`modl check losses/softmax` grades one.")


@main.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--workspace", "-w", "workspace_opt", metavar="DIR")
def list_cmd(as_json: bool, workspace_opt: str | None) -> None:
    """List exercises with topic, kind, points and your status."""
    bank = _bank()
    progress = _progress(_workspace(workspace_opt)).all()
    rows = []
    for e in bank:
        p = progress.get(e.id)
        status = "done" if p and p.done else "attempted" if p and p.attempted else "new"
        rows.append({"id": e.id, "topic": e.topic, "title": e.title, "kind": e.kind,
                     "points": e.points, "difficulty": e.difficulty, "status": status})
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    marks = {"done": click.style("✓", fg="green"), "attempted": click.style("~", fg="yellow"),
             "new": " "}
    width = max((len(r["id"]) for r in rows), default=10)
    for r in rows:
        click.echo(f"{marks[r['status']]} {r['id']:<{width}}  {r['kind']:<10} "
                   f"{r['points']:>4g} pt  {r['title']}")


@main.command()
@click.argument("exercise_id", metavar="ID")
@click.option("--workspace", "-w", "workspace_opt", metavar="DIR")
def show(exercise_id: str, workspace_opt: str | None) -> None:
    """Print the prompt of exercise ID."""
    from modl_tutor.grading.core import for_student
    from modl_tutor.reports.prompt import print_prompt

    exercise = _exercise(exercise_id)
    workspace = _workspace(workspace_opt)
    try:
        seed = workspace.student_id
    except ModlError as err:
        raise Fail(str(err)) from None
    print_prompt(for_student(exercise, seed), workspace, seed)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("exercise_id", metavar="ID")
@click.argument("answer")
@click.option("--part", "-p", metavar="P", help="Which part of a multi-part exercise.")
@click.option("--workspace", "-w", "workspace_opt", metavar="DIR")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def answer(exercise_id: str, answer: str, part: str | None, workspace_opt: str | None,
           as_json: bool) -> None:
    """Check a math ANSWER to exercise ID and record it in answers.toml."""
    from modl_tutor.bank.models import SINGLE_PART
    from modl_tutor.grading.core import check_answer, grade_math

    exercise = _exercise(exercise_id)
    if exercise.is_code:
        raise Fail(f"{exercise.id} is a code exercise: edit {exercise.workspace_file} in your "
                   f"workspace, then run `modl check {exercise.id}`")
    names = [p.name for p in exercise.parts]
    if exercise.is_multipart and part is None:
        raise Fail(f"{exercise.id} has parts {', '.join(names)}: choose one with --part")
    part = part or SINGLE_PART
    if part not in names:
        raise Fail(f"{exercise.id} has no part {part!r} (parts: {', '.join(names)})")
    workspace = _workspace(workspace_opt)
    try:
        seed = workspace.student_id
        outcome = check_answer(exercise, part, answer, seed=seed)
        if outcome.status != "invalid":
            workspace.record_answer(exercise, answer, part)
            # Progress is per exercise: one part right is not the whole multipart done.
            whole = grade_math(exercise, workspace, seed=seed) if exercise.is_multipart else None
            _progress(workspace).record_submission(
                exercise.id, whole.score if whole else outcome.score,
                whole.max_score if whole else outcome.max_score,
                whole.status if whole else outcome.status,
                [(part, answer, outcome.score, outcome.max_score, outcome.status)])
    except ModlError as err:
        raise Fail(str(err)) from None
    if as_json:
        click.echo(json.dumps({"id": exercise.id, "part": part, "status": outcome.status,
                               "correct": outcome.status == "correct", "score": outcome.score,
                               "max_score": outcome.max_score, "message": outcome.message,
                               "preview": outcome.preview}, indent=2))
    else:
        from rich.console import Console

        from modl_tutor.reports.terminal import answer_line

        if outcome.preview:
            click.echo(outcome.preview)
        Console().print(answer_line(outcome.status, outcome.score, outcome.max_score,
                                    outcome.message))
    _exit({"correct": 0, "invalid": 2}.get(outcome.status, 1))


@main.command()
@click.argument("exercise_id", metavar="ID")
@click.option("--workspace", "-w", "workspace_opt", metavar="DIR")
@click.option("--json", "as_json", is_flag=True, help="Print the exercise result as JSON.")
def check(exercise_id: str, workspace_opt: str | None, as_json: bool) -> None:
    """Grade exercise ID from your workspace."""
    from modl_tutor.grading.client import GraderUnavailable
    from modl_tutor.grading.core import grade_exercise
    from modl_tutor.reports.terminal import print_exercise

    exercise = _exercise(exercise_id)
    workspace = _workspace(workspace_opt)
    try:
        result = grade_exercise(exercise, workspace).visible()
    except (ModlError, GraderUnavailable) as err:
        raise Fail(str(err)) from None
    _progress(workspace).record_attempt(exercise.id, result.score, result.max_score,
                                        result.status)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        print_exercise(result)
    _exit(0 if result.full_marks else 2 if result.status == "error" else 1)


@main.command()
@click.argument("exercise_id", metavar="ID")
@click.option("--workspace", "-w", "workspace_opt", metavar="DIR")
def hint(exercise_id: str, workspace_opt: str | None) -> None:
    """Show the next hint of exercise ID."""
    exercise = _exercise(exercise_id)
    if not exercise.hints:
        click.echo("This exercise has no hints.")
        return
    shown = _progress(_workspace(workspace_opt)).reveal_hint(exercise.id, len(exercise.hints))
    for number in range(1, shown + 1):
        click.echo(click.style(f"Hint {number}/{len(exercise.hints)}: ", bold=True)
                   + exercise.hints[number - 1])
    if shown == len(exercise.hints):
        click.echo(click.style("That was the last hint.", dim=True))


@main.command()
@click.option("--workspace", "-w", "workspace_opt", metavar="DIR")
def watch(workspace_opt: str | None) -> None:
    """Re-grade each code exercise when you save its file (Ctrl+C to stop)."""
    from modl_tutor.grading.client import GraderUnavailable
    from modl_tutor.watch import run_watch

    try:
        run_watch(_workspace(workspace_opt), _bank())
    except (ModlError, GraderUnavailable, ValueError) as err:
        raise Fail(str(err)) from None


@main.command()
@click.argument("submissions", nargs=-1, required=True, metavar="SUB...")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "junit",
                                                    "gradescope"]), default="table",
              show_default=True)
@click.option("--output", "-o", metavar="PATH",
              help="Write the report to PATH (atomically); gradescope: a folder for several.")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), help="Parallel jobs (default: cores).")
@click.option("--fail-under", type=click.FloatRange(0, 100), metavar="PCT",
              help="Exit 1 when any submission scores below PCT percent.")
@click.option("--cache-dir", metavar="DIR", help="Where graded submissions are cached.")
@click.option("--no-cache", is_flag=True, help="Grade everything again; do not use the cache.")
def grade(submissions: tuple[str, ...], fmt: str, output: str | None, jobs: int | None,
          fail_under: float | None, cache_dir: str | None, no_cache: bool) -> None:
    """Grade submissions (workspace folders) and report."""
    from modl_tutor.batch.cache import ResultCache
    from modl_tutor.batch.runner import grade_batch
    from modl_tutor.reports.render import check_target, render_report

    from modl_tutor.batch.verify import sandbox_warning

    bank = _bank()
    warning = sandbox_warning()
    if warning:  # said once per run, on stderr, so reports on stdout stay clean
        click.echo(f"modl: warning: {warning}", err=True)
    try:
        check_target(fmt, output, len(submissions))
        cache = None if no_cache else ResultCache(cache_dir)
        results = grade_batch([Path(s) for s in submissions], bank, jobs=jobs, cache=cache)
        render_report(results, fmt, output, bank=bank)
    except ModlError as err:
        raise Fail(str(err)) from None
    except OSError as err:
        raise Fail(f"{output or 'output'}: cannot be written ({err.strerror or err})") from None
    if fail_under is not None and any(
            not r.max_score or 100 * r.score / r.max_score < fail_under for r in results):
        _exit(1)


@main.command()
@click.option("--jobs", "-j", type=click.IntRange(1, 256), help="Parallel jobs (default: cores).")
@click.option("--topic", "-t", metavar="T", help="Verify only the exercises of topic T.")
def verify(jobs: int | None, topic: str | None) -> None:
    """Check the bank: valid, solutions earn full marks, starters earn none."""
    from modl_tutor.bank.models import TOPICS
    from modl_tutor.batch.verify import run_verify
    from modl_tutor.grading.client import GraderUnavailable

    if topic is not None and topic not in TOPICS:
        raise Fail(f"--topic {topic!r}: not a topic (topics: {', '.join(TOPICS)})")
    try:
        ok = run_verify(jobs=jobs, topic=topic)
    except GraderUnavailable as err:
        click.echo(f"✗ {err}", err=True)
        ok = False
    _exit(0 if ok else 1)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("a")
@click.argument("b")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def equiv(a: str, b: str, as_json: bool) -> None:
    """Are expressions A and B equivalent to the grader? (authoring aid)"""
    from modl_tutor.answers.equivalence import equiv_report

    report = equiv_report(a, b)
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(report["message"])
    if report.get("invalid"):
        _exit(2)
    _exit(0 if report.get("equivalent") else 1)


@main.command(name="build-starters")
@click.option("--check", "check_only", is_flag=True,
              help="Only report starters that are out of sync (exit 1 if any).")
def build_starters_cmd(check_only: bool) -> None:
    """Regenerate each code exercise's starter.py from its solution's regions."""
    from modl_tutor.bank.starters import build_starters, starter_statuses

    bank = _bank()
    if check_only:
        stale = [s for s in starter_statuses(bank) if not s.in_sync]
        for status in stale:
            click.echo(f"✗ {status.exercise}: {status.problem}")
        click.echo(f"{len(stale)} starter(s) out of sync." if stale else "All starters in sync.")
        _exit(1 if stale else 0)
    written = build_starters(bank)
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"{len(written)} starter(s) regenerated.")


@main.command(name="gradescope-bundle")
@click.argument("out", metavar="OUT.zip", type=click.Path(dir_okay=False))
@click.option("--source", metavar="PATH",
              help="modl-tutor source folder, wheel or sdist to install (default: this checkout).")
@click.option("--bank", "bank_opt", metavar="DIR",
              help="Folder with exercises/ (and solutions/) to grade with (default: the bank in "
                   "use).")
def gradescope_bundle(out: str, source: str | None, bank_opt: str | None) -> None:
    """Write a Gradescope autograder zip: setup.sh, run_autograder, modl and the bank."""
    from modl_tutor.batch.bundle import build_bundle

    try:
        info = build_bundle(Path(out), source=source, bank=bank_opt)
    except ModlError as err:
        raise Fail(str(err)) from None
    click.echo(f"wrote {info.path} ({info.files} files; modl from {info.source}; "
               f"{len(info.exercises)} exercises)")
    click.echo("Upload it as the autograder of a Gradescope programming assignment; students "
               "upload their workspace folder.")


@main.command()
@click.option("--workspace", "-w", "workspace_opt", metavar="DIR")
@click.option("--host", default="localhost", show_default=True,
              help="Interface to listen on (keep localhost unless you mean to share it).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
def serve(workspace_opt: str | None, host: str, port: int) -> None:
    """Open the app in a web browser (needs the optional textual-serve package)."""
    import shlex

    try:
        from textual_serve.server import Server
    except ImportError:
        raise Fail("`modl serve` needs textual-serve: pip install textual-serve") from None
    workspace = _workspace(workspace_opt)
    command = " ".join(shlex.quote(p) for p in (sys.executable, "-m", "modl_tutor",
                                                "--workspace", str(workspace.root.resolve())))
    click.echo(f"Serving the app on {workspace.root} at http://{host}:{port} (Ctrl+C stops).")
    Server(command, host=host, port=port, title="modl-tutor").serve()
