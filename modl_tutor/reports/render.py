"""Pick the report format for `modl grade` and write it to stdout or files (atomically)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import click

from modl_tutor.atomic import write_text_atomic
from modl_tutor.bank.loader import Bank
from modl_tutor.errors import ModlError
from modl_tutor.result import SubmissionResult

FORMATS = ("table", "json", "csv", "junit", "gradescope", "canvas", "moodle")


class ReportError(ModlError):
    """The report cannot be written as asked (a usage error: exit status 2)."""


def _is_dir_target(output: str) -> bool:
    return Path(output).is_dir() or output.endswith(("/", "\\"))


def check_target(fmt: str, output: str | None, count: int) -> None:
    """Refuse, before grading anything, a format/output combination that cannot be written."""
    if fmt not in FORMATS:
        raise ReportError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if output is None:
        if fmt == "gradescope" and count > 1:
            raise ReportError("--format gradescope writes one results.json per submission: "
                              "grade one submission, or pass --output DIR/ to write "
                              "DIR/<submission>/results.json for each")
        return
    if fmt != "gradescope" and Path(output).is_dir():
        raise ReportError(f"--output {output}: is a folder; name a file")
    if fmt == "gradescope" and count > 1 and not _is_dir_target(output):
        raise ReportError(f"--output {output}: with several submissions, --format gradescope "
                          "needs a folder (an existing one, or a path ending in /)")
    parent = Path(output).parent if not _is_dir_target(output) else Path(output)
    if parent.exists() and not parent.is_dir():
        raise ReportError(f"--output {output}: {parent} is not a folder")


def _folder_names(results: Sequence[SubmissionResult]) -> list[str]:
    """One distinct, filesystem-safe folder name per submission."""
    names: list[str] = []
    seen: set[str] = set()
    for result in results:
        base = re.sub(r"[^A-Za-z0-9_.@+-]", "_", Path(result.submission).name).strip(".") \
            or "submission"
        name, n = base, 1
        while name in seen:
            n += 1
            name = f"{base}-{n}"
        seen.add(name)
        names.append(name)
    return names


def report_text(results: Sequence[SubmissionResult], fmt: str, bank: Bank | None) -> str:
    """The whole report as text (gradescope: the results.json of the first submission)."""
    if fmt == "json":
        from modl_tutor.reports.json_report import json_report

        return json_report(results) + "\n"
    if fmt == "csv":
        from modl_tutor.reports.csv_report import csv_report

        return csv_report(results, bank)
    if fmt in ("canvas", "moodle"):
        from modl_tutor.reports import lms

        return lms.canvas_report(results) if fmt == "canvas" else lms.moodle_report(results)
    if fmt == "junit":
        from modl_tutor.reports.junit import junit_report

        return junit_report(results, bank) + "\n"
    if fmt == "gradescope":
        from modl_tutor.reports.gradescope import gradescope_report

        if len(results) != 1:
            raise ReportError("--format gradescope needs exactly one submission here")
        return gradescope_report(results[0]) + "\n"
    from modl_tutor.reports.table import table_text

    return table_text(results, bank)


def render_report(results: Sequence[SubmissionResult], fmt: str, output: str | None,
                  *, bank: Bank | None = None) -> list[Path]:
    """Print the report, or write it atomically to `output`; returns the files written.

    With `--format gradescope` and a folder as `output`, each submission gets
    `<output>/<submission folder name>/results.json`.
    """
    check_target(fmt, output, len(results))
    if output is None:
        if fmt == "table":
            from modl_tutor.reports.table import print_table

            print_table(results, bank)
        else:
            click.echo(report_text(results, fmt, bank), nl=False)
        return []
    if fmt == "gradescope" and _is_dir_target(output):
        from modl_tutor.reports.gradescope import gradescope_report

        written = []
        for name, result in zip(_folder_names(results), results):
            target = Path(output) / name / "results.json"
            write_text_atomic(target, gradescope_report(result) + "\n")
            written.append(target)
        return written
    write_text_atomic(output, report_text(results, fmt, bank))
    return [Path(output)]
