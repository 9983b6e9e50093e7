"""Format dispatch, output targets, usage errors and atomic writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modl_tutor.reports.render import ReportError, check_target, render_report


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "junit"])
def test_every_format_writes_its_own_file(results, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / "out" / f"report.{fmt}"
    written = render_report(results, fmt, str(target))
    assert written == [target]
    text = target.read_text(encoding="utf-8")
    first = {"table": "modl grade", "json": "{", "csv": "submission,student",
             "junit": "<?xml"}[fmt]
    assert text.lstrip().startswith(first)
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]  # no temp left


def test_formats_differ(results, capsys) -> None:
    seen = set()
    for fmt in ("table", "json", "csv", "junit"):
        render_report(results, fmt, None)
        seen.add(capsys.readouterr().out)
    assert len(seen) == 4


def test_gradescope_several_submissions_need_a_folder(results, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="one results.json per submission"):
        check_target("gradescope", None, 2)
    with pytest.raises(ReportError, match="needs a folder"):
        check_target("gradescope", str(tmp_path / "results.json"), 2)
    twin = results[0].__class__(submission="other/alice", student="x")
    written = render_report([*results, twin], "gradescope", str(tmp_path / "gs") + "/")
    assert [p.parent.name for p in written] == ["alice", "_bob", "carol", "alice-2"]
    for path in written:
        assert path.name == "results.json"
        assert "tests" in json.loads(path.read_text())


def test_gradescope_single_to_stdout(results, capsys) -> None:
    render_report(results[:1], "gradescope", None)
    assert json.loads(capsys.readouterr().out)["score"] == 4


def test_a_folder_is_not_a_report_file(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="is a folder"):
        check_target("csv", str(tmp_path), 1)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ReportError, match="is not a folder"):
        check_target("json", str(tmp_path / "file" / "report.json"), 1)
    with pytest.raises(ReportError, match="unknown format"):
        check_target("yaml", None, 1)
