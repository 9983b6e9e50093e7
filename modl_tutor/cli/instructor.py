"""The instructor's and author's commands: grade, verify, equiv, build-starters, bundles."""

from __future__ import annotations

import json
from pathlib import Path

import click

from modl_tutor.cli import Fail, bank, chosen_workspace, exit_with, main
from modl_tutor.errors import ModlError
from modl_tutor.reports.commands import (fail_under_status, format_choice, grade_options,
                                         grade_submissions, report)

main.add_command(report)


@main.command()
@click.argument("submissions", nargs=-1, metavar="SUB...")
@click.option("--format", "fmt", type=format_choice(), default="table", show_default=True)
@click.option("--output", "-o", metavar="PATH",
              help="Write the report to PATH (atomically); gradescope: a folder for several.")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), help="Parallel jobs (default: cores).")
@click.option("--fail-under", type=click.FloatRange(0, 100), metavar="PCT",
              help="Exit 1 when any submission scores below PCT percent.")
@click.option("--cache-dir", metavar="DIR", help="Where graded submissions are cached.")
@click.option("--no-cache", is_flag=True, help="Grade everything again; do not use the cache.")
@click.option("--allow-weak-sandbox", is_flag=True,
              help="Grade even where the sandbox can only apply resource limits (no file "
                   "system, network or process isolation: see `modl doctor`).")
@grade_options
def grade(submissions: tuple[str, ...], fmt: str, output: str | None, jobs: int | None,
          fail_under: float | None, cache_dir: str | None, no_cache: bool,
          allow_weak_sandbox: bool, roster: str | None, scheduler: str | None) -> None:
    """Grade submissions (workspace folders; default: the group's -w DIR) and report.

    Ctrl+C stops at once with exit status 130 and writes no report.
    """
    from modl_tutor.batch.cache import ResultCache
    from modl_tutor.batch.verify import sandbox_warning
    from modl_tutor.reports.render import check_target, render_report

    if not submissions:
        named = chosen_workspace()
        if not named:
            raise Fail("give at least one submission folder (or modl -w DIR grade)")
        submissions = (named,)
    grader = None
    try:
        if scheduler is None:  # the grading runner itself says what its sandbox enforces
            from modl_tutor.grading.client import CodeGrader

            grader = CodeGrader(jobs=jobs)
            grader.launch()  # its processes start while the bank loads
        chosen_bank = bank(cached=False)
        if grader is not None:
            grader.start()
            warning = sandbox_warning(grader.capabilities)
        else:
            warning = sandbox_warning()
        if warning and not allow_weak_sandbox:  # a class's grades need isolation
            raise Fail(f"refusing to grade: {warning}. Grade on Linux with namespaces, or pass "
                       "--allow-weak-sandbox to accept it (see `modl doctor`)")
        if warning:  # said once per run, on stderr, so reports on stdout stay clean
            click.echo(f"modl: warning: {warning}", err=True)
        check_target(fmt, output, len(submissions))
        cache = None if no_cache else ResultCache(cache_dir)
        results = grade_submissions([Path(s) for s in submissions], chosen_bank, jobs=jobs,
                                    cache=cache, roster=roster, scheduler=scheduler,
                                    grader=grader)
        if grader is not None:
            grader.wind_down()  # its processes exit while the report is written
        render_report(results, fmt, output, bank=chosen_bank)
    except ModlError as err:
        raise Fail(str(err)) from None
    except OSError as err:
        target = Path(output).absolute() if output else "output"
        raise Fail(f"{target}: cannot be written ({err.strerror or err})") from None
    finally:
        if grader is not None:
            grader.close()
    if fail_under_status(results, fail_under):  # names each submission below on stderr
        exit_with(1)


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
    exit_with(0 if ok else 1)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("a")
@click.argument("b")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def equiv(a: str, b: str, as_json: bool) -> None:
    """Are expressions A and B equivalent to the grader? (authoring aid)

    Exit status 0 yes, 1 no, 2 invalid input, 3 the grader could not decide."""
    from modl_tutor.answers.equiv_texts import equiv_report

    report = equiv_report(a, b)
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(report["message"])
    if report.get("invalid"):
        exit_with(2)
    verdict = report.get("equivalent")  # None: undecided or out of time, not "no"
    exit_with(0 if verdict is True else 1 if verdict is False else 3)


@main.command(name="build-starters")
@click.option("--check", "check_only", is_flag=True,
              help="Only report starters that are out of sync (exit 1 if any).")
def build_starters_cmd(check_only: bool) -> None:
    """Regenerate each code exercise's starter.py from its solution's regions."""
    from modl_tutor.bank.starters import build_starters, starter_statuses

    chosen_bank = bank(cached=False)
    if check_only:
        stale = [s for s in starter_statuses(chosen_bank) if not s.in_sync]
        for status in stale:
            click.echo(f"✗ {status.exercise}: {status.problem}")
        click.echo(f"{len(stale)} starter(s) out of sync." if stale else "All starters in sync.")
        exit_with(1 if stale else 0)
    written = build_starters(chosen_bank)
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
