"""Pick the report format for `modl grade` and write it to stdout or a file (atomically)."""

from __future__ import annotations

import json
from collections.abc import Sequence

import click

from modl_tutor.atomic import write_text_atomic
from modl_tutor.bank.loader import Bank
from modl_tutor.result import SubmissionResult


def json_report(results: Sequence[SubmissionResult]) -> str:
    """The JSON schema of CANONICAL.md."""
    return json.dumps({"submissions": [r.to_dict() for r in results]}, indent=2)


def table_report(results: Sequence[SubmissionResult], bank: Bank) -> str:
    """A plain-text table: one row per submission, per-topic and total scores."""
    topics = list(dict.fromkeys(e.topic for e in bank))
    header = ["submission", *topics, "total"]
    rows = []
    for r in results:
        by_topic = {t: [0.0, 0.0] for t in topics}
        for e in r.exercises:
            topic = e.id.split("/")[0]
            if topic in by_topic:
                by_topic[topic][0] += e.score
                by_topic[topic][1] += e.max_score
        cells = [r.submission + (" (error)" if r.error else "")]
        cells += [f"{s:g}/{m:g}" for s, m in by_topic.values()]
        cells.append(f"{r.score:g}/{r.max_score:g}")
        rows.append(cells)
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in rows]
    return "\n".join(lines)


def render_report(results: Sequence[SubmissionResult], fmt: str, output: str | None,
                  *, bank: Bank) -> None:
    text = json_report(results) if fmt == "json" else table_report(results, bank)
    if output:
        write_text_atomic(output, text + "\n")
    else:
        click.echo(text)
