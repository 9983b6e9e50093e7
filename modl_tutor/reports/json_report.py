"""The JSON report of `modl grade --format json`: exactly CANONICAL.md's schema, hidden checks kept."""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from typing import Any

from modl_tutor.result import SubmissionResult

SCHEMA_FILE = "grade_report.schema.json"


def json_data(results: Sequence[SubmissionResult]) -> dict[str, Any]:
    """`{"submissions": [...]}` with every check, hidden ones included (this is for instructors)."""
    return {"submissions": [_submission(r) for r in results]}


def _submission(result: SubmissionResult) -> dict[str, Any]:
    """One submission; `variant_seed` when the variants were drawn from another id than the
    row's `student` (a roster id, or the folder name of a workspace that names nobody)."""
    data = result.to_dict()
    seed = result.extra.get("variant_seed")
    if isinstance(seed, str) and seed != result.student:
        data["variant_seed"] = seed
    declared = result.extra.get("declared_student")
    if isinstance(declared, str) and declared:
        data["declared_student"] = declared  # the submission's own id, when it differs
    return data


def json_report(results: Sequence[SubmissionResult]) -> str:
    """The report as JSON text: indented down to each exercise, one line per exercise (a
    class's report is read and diffed by exercise; the C encoder writes those lines, about
    5× faster than indenting everything)."""
    return _indented(json_data(results), 0, ROW_DEPTH)


ROW_DEPTH = 4
"""Levels indented: the report, its submissions, a submission, its exercises; below, one line."""


def _indented(value: Any, level: int, depth: int) -> str:
    if depth == 0 or not isinstance(value, (dict, list)) or not value:
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    inner = "\n" + "  " * (level + 1)
    if isinstance(value, dict):
        items = [json.dumps(str(k), ensure_ascii=False) + ": " + _indented(v, level + 1, depth - 1)
                 for k, v in value.items()]
        opening, closing = "{", "}"
    else:
        items = [_indented(v, level + 1, depth - 1) for v in value]
        opening, closing = "[", "]"
    return opening + inner + ("," + inner).join(items) + "\n" + "  " * level + closing


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every `--format json` report satisfies."""
    text = resources.files("modl_tutor.reports").joinpath(SCHEMA_FILE).read_text("utf-8")
    return json.loads(text)
