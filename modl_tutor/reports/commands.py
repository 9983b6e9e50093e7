"""The instructor's side of the CLI: `modl grade`'s extra options and exports, and `modl report`."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from modl_tutor.errors import ModlError

GRADE_FORMATS = ("table", "json", "csv", "junit", "gradescope", "canvas", "moodle")
F = TypeVar("F", bound=Callable[..., Any])


class Fail(click.ClickException):
    """A one-line error with exit status 2 (usage or input error), never a traceback."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"modl: error: {self.message}", err=True)


def grade_options(command: F) -> F:
    """`modl grade`'s --roster and --dask options (parameters `roster` and `scheduler`)."""
    command = click.option(
        "--dask", "scheduler", metavar="ADDRESS",
        help="Grade on a Dask cluster (the `dask` extra): its scheduler, tcp://host:8786.")(command)
    return click.option(
        "--roster", metavar="FILE",
        help="CSV (student, submission, name, sis user id, sis login id, canvas id, section, "
             "email) or Gradescope submission_metadata.json: who each submission is.")(command)


def format_choice() -> click.Choice:
    """The `--format` choices of `modl grade` (canvas and moodle: LMS gradebooks)."""
    return click.Choice(GRADE_FORMATS)


def grade_submissions(paths: Sequence[Path], bank: Any, *, jobs: int | None, cache: Any,
                      roster: str | None = None, scheduler: str | None = None,
                      grader: Any = None) -> list[Any]:
    """Grade locally (or on a Dask cluster), then give every row its student id."""
    from modl_tutor.reports.identity import ANY_SUBMISSION, RosterError, identify, load_roster

    loaded = load_roster(roster) if roster else None  # a bad roster fails before grading
    if loaded is not None and ANY_SUBMISSION in loaded.by_submission and len(paths) > 1:
        raise RosterError(f"{roster}: Gradescope metadata names one student; grade one "
                          "submission with it")
    misplaced = _misplaced(paths, bank)
    todo = [p for p in paths if str(p) not in misplaced]
    students = instructor_ids(todo, loaded)  # variants are keyed by these, not modl.toml
    graded: list[Any] = []
    if todo and scheduler is not None:
        from modl_tutor.batch.dask_runner import grade_on_dask

        graded = grade_on_dask(todo, bank, scheduler, cache=cache, students=students)
    elif todo:
        from modl_tutor.batch.runner import grade_batch

        graded = grade_batch(todo, bank, jobs=jobs, cache=cache, grader=grader,
                             students=students)
    done = iter(graded)
    results = [misplaced[str(p)] if str(p) in misplaced else next(done) for p in paths]
    named, unlisted = identify(results, loaded)
    if unlisted:
        shown = ", ".join(unlisted[:5]) + (" …" if len(unlisted) > 5 else "")
        click.echo(f"modl: warning: {len(unlisted)} submission(s) not on the roster "
                   f"{roster}: {shown}", err=True)
    return named


def instructor_ids(paths: Sequence[Path], roster: Any) -> dict[str, str]:
    """Each submission's id from the instructor's side: its roster entry (by folder, or the
    Gradescope metadata), else its folder name — never only the id its own modl.toml claims."""
    import re

    found = {}
    for path in paths:
        person = roster.find(str(path), "") if roster is not None else None
        folder = Path(path).resolve().name
        found[str(path)] = person.student if person is not None else \
            re.sub(r"[^A-Za-z0-9._@+-]", "_", folder)[:64] or "submission"
    return found


def _misplaced(paths: Sequence[Path], bank: Any) -> dict[str, Any]:
    """Error rows for folders that hold a workspace further down instead of being one."""
    from modl_tutor.batch.layout import locate
    from modl_tutor.batch.runner import error_row

    rows = {}
    for path in paths:
        if not Path(path).is_dir():
            continue  # the grader reports a missing folder or a file itself
        layout = locate(Path(path), list(bank), one_down_ok=False, empty_ok=True)
        if layout.problem:
            rows[str(path)] = error_row(Path(path), list(bank),
                                        f"{path}: wrong layout: {layout.problem}")
    return rows


def below_threshold(results: Sequence[Any], fail_under: float) -> list[Any]:
    """Submissions scoring under `fail_under` percent (no points at all counts as 0 %)."""
    return [r for r in results if not r.max_score or 100 * r.score / r.max_score < fail_under]


def fail_under_status(results: Sequence[Any], fail_under: float | None) -> int:
    """1, naming each submission below the threshold on stderr, else 0."""
    if fail_under is None:
        return 0
    low = below_threshold(results, fail_under)
    for result in low:
        percent = 100 * result.score / result.max_score if result.max_score else 0.0
        who = f" ({result.student})" if result.student else ""
        reason = f": {result.error.splitlines()[0]}" if result.error else ""
        click.echo(f"modl: below {fail_under:g}%: {result.submission}{who} {percent:.1f}% "
                   f"({result.score:.4g}/{result.max_score:.4g}){reason}", err=True)
    if low:
        click.echo(f"modl: {len(low)} of {len(results)} submission(s) below {fail_under:g}%",
                   err=True)
    return 1 if low else 0


def _exit(code: int) -> None:
    sys.exit(code)


def _report_error(err: ModlError) -> Fail:
    return Fail(str(err))


@click.command()
@click.argument("submissions", nargs=-1, metavar="SUB...")
@click.option("--html", "html_out", metavar="OUT.html",
              help="Also write the report as one self-contained HTML file.")
@click.option("--title", default="Class report", show_default=True, help="The HTML title.")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), help="Parallel jobs (default: cores).")
@click.option("--cache-dir", metavar="DIR", help="Where graded submissions are cached.")
@click.option("--no-cache", is_flag=True, help="Grade everything again; do not use the cache.")
@click.option("--allow-weak-sandbox", is_flag=True,
              help="Grade even where the sandbox can only apply resource limits.")
@grade_options
def report(submissions: tuple[str, ...], html_out: str | None, title: str, jobs: int | None,
           cache_dir: str | None, no_cache: bool, allow_weak_sandbox: bool, roster: str | None,
           scheduler: str | None) -> None:
    """Class misconception report: per exercise, scores, mistakes, wrong answers, failing checks.

    Grades the submissions (served from the cache after `modl grade`), prints the report
    with terminal plots, and with --html writes it as one HTML file for the LMS.
    """
    from modl_tutor.atomic import write_text_atomic
    from modl_tutor.batch.cache import ResultCache
    from modl_tutor.bank.loader import default_bank
    from modl_tutor.reports.class_report.analysis import analyse
    from modl_tutor.reports.class_report.html import report_html
    from modl_tutor.reports.class_report.terminal import report_text

    if not submissions:  # like `modl grade`: the group's -w DIR
        from modl_tutor.cli import chosen_workspace

        named = chosen_workspace()
        if not named:
            raise Fail("give at least one submission folder (or modl -w DIR report)")
        submissions = (named,)
    if html_out is not None and Path(html_out).is_dir():
        raise Fail(f"--html {html_out}: is a folder; name a file")
    from modl_tutor.batch.verify import sandbox_warning

    warning = sandbox_warning() if scheduler is None else ""
    if warning and not allow_weak_sandbox:  # the same policy as `modl grade`
        raise Fail(f"refusing to grade: {warning}. Pass --allow-weak-sandbox to accept it")
    if warning:
        click.echo(f"modl: warning: {warning}", err=True)
    try:
        bank = default_bank(cached=False)
        cache = None if no_cache else ResultCache(cache_dir)
        results = grade_submissions([Path(s) for s in submissions], bank, jobs=jobs,
                                    cache=cache, roster=roster, scheduler=scheduler)
        analysis = analyse(results, bank)
        if html_out is not None:
            write_text_atomic(html_out, report_html(analysis, title=title))
    except KeyboardInterrupt:
        click.echo("modl: interrupted; no report written", err=True)
        _exit(130)
    except ModlError as err:
        raise _report_error(err) from None
    except OSError as err:
        raise Fail(f"{html_out or 'output'}: cannot be written ({err.strerror or err})") from None
    tty = sys.stdout.isatty()
    width = shutil.get_terminal_size().columns if tty else 100
    click.echo(report_text(analysis, width=min(width, 120), colour=tty), nl=False)
    if html_out is not None:
        click.echo(f"wrote {html_out}", err=True)
