"""The grade cache: unchanged submissions are served from it, any change regrades."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import modl_tutor.batch.runner as runner
from modl_tutor.bank.loader import load_bank
from modl_tutor.batch.cache import (ResultCache, bank_digest, cacheable, submission_from_dict,
                                    submission_key, submission_to_dict)
from modl_tutor.batch.runner import grade_batch
from modl_tutor.result import CheckResult, ExerciseResult, SubmissionResult
from tests.batch.helpers import ABS_DOUBLE, write_bank, write_submission

RESULT = SubmissionResult(
    submission="s", student="alice", duration=0.5,
    exercises=(ExerciseResult("losses/double", 2.0, 3.0, "failed",
                              (CheckResult("a", True, 2.0, 2.0),
                               CheckResult("h", False, 0.0, 1.0, "secret", hidden=True)),
                              message="m", output="printed", duration=0.25),))


def test_round_trip_keeps_hidden_checks_and_output() -> None:
    back = submission_from_dict(json.loads(json.dumps(submission_to_dict(RESULT))))
    assert back == RESULT


def test_key_follows_content_not_hidden_files(tmp_path: Path) -> None:
    sub = write_submission(tmp_path / "s", answers='[derivatives]\nslope = "10"\n')
    key = submission_key(sub, "bank")
    assert key and key == submission_key(sub, "bank")
    (sub / ".modl").mkdir()
    (sub / ".modl" / "progress.sqlite").write_bytes(b"changes every check")
    (sub / "losses" / "__pycache__").mkdir()
    assert submission_key(sub, "bank") == key
    assert submission_key(sub, "other bank") != key
    (sub / "answers.toml").write_text('[derivatives]\nslope = "11"\n')
    assert submission_key(sub, "bank") != key
    (sub / "notes.txt").write_text("x")
    assert submission_key(sub, "bank") not in (key, None)
    assert submission_key(tmp_path / "nope", "bank") is None


def test_bank_digest_changes_with_checks_and_solutions(tmp_path: Path) -> None:
    root = write_bank(tmp_path / "b")
    first = bank_digest(load_bank(root))
    assert first == bank_digest(load_bank(root))
    checks = root / "losses" / "double" / "checks.py"
    checks.write_text(checks.read_text() + "\n# changed\n")
    second = bank_digest(load_bank(root))
    assert second != first
    solution = tmp_path / "b" / "solutions" / "losses" / "double.py"
    solution.write_text(solution.read_text() + "\n")
    assert bank_digest(load_bank(root)) != second


def test_put_get_and_corrupt_entries_are_ignored(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "cache")
    assert cache.get("ab" * 32, "s") is None
    assert cache.put("ab" * 32, RESULT)
    hit = cache.get("ab" * 32, "renamed")
    assert hit is not None and hit.submission == "renamed" and hit.extra == {"cached": True}
    assert hit.exercises == RESULT.exercises
    entry = tmp_path / "cache" / "ab" / ("ab" * 32 + ".json")
    assert not [p for p in entry.parent.iterdir() if p.name.startswith(".")]  # atomic: no temp
    for garbage in (b"{not json", b"[]", b'{"format": 1, "key": "other"}',
                    json.dumps({"format": 1, "key": "ab" * 32,
                                "result": {"exercises": [{"status": "bogus"}]}}).encode(),
                    b"\xff\xfe"):
        entry.write_bytes(garbage)
        assert cache.get("ab" * 32, "s") is None
    assert cache.hits == 1 and cache.misses == 6


def test_unwritable_cache_is_not_fatal(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert ResultCache(blocker / "cache").put("cd" * 32, RESULT) is False


def test_only_reproducible_grades_are_cached() -> None:
    from dataclasses import replace

    exercise = RESULT.exercises[0]
    assert cacheable(RESULT)
    assert not cacheable(replace(RESULT, error="broken"))
    syntax = replace(exercise, status="error", checks=(),
                     message="double.py: SyntaxError at line 2: invalid syntax")
    assert cacheable(replace(RESULT, exercises=(syntax,)))
    for message in ("time limit of 10 s reached: the process was stopped",
                    "the grading server stopped: killed",
                    "the submission stopped early: killed by signal 9"):
        assert not cacheable(replace(RESULT, exercises=(replace(exercise, message=message),)))
    slow_check = CheckResult("big", False, 0.0, 1.0, "time limit reached during this check")
    assert not cacheable(replace(RESULT, exercises=(replace(exercise, checks=(slow_check,)),)))


@pytest.mark.slow
def test_second_run_is_served_from_cache_and_changes_regrade(tmp_path: Path, small_bank, grader,
                                                             monkeypatch) -> None:
    calls: list[str] = []
    real = runner.grade_submission

    def counting(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(runner, "grade_submission", counting)
    cache = ResultCache(tmp_path / "cache")
    subs = [write_submission(tmp_path / "a", answers='[derivatives]\nslope = "10"\n'),
            write_submission(tmp_path / "b", code=ABS_DOUBLE)]

    first = grade_batch(subs, small_bank, grader=grader, cache=cache, progress=False)
    assert sorted(calls) == ["a", "b"] and not any(r.extra.get("cached") for r in first)

    second = grade_batch(subs, small_bank, grader=grader, cache=cache, progress=False)
    assert sorted(calls) == ["a", "b"], "nothing may be regraded"
    assert all(r.extra.get("cached") for r in second)
    assert [r.to_dict() for r in second] == [r.to_dict() for r in first]

    (subs[1] / "losses" / "double.py").write_text(
        (subs[0] / "losses" / "double.py").read_text())
    third = grade_batch(subs, small_bank, grader=grader, cache=cache, progress=False)
    assert sorted(calls) == ["a", "b", "b"]
    assert third[0].extra.get("cached") and not third[1].extra.get("cached")
    assert third[1].score > first[1].score

    for entry in (tmp_path / "cache").rglob("*.json"):
        entry.write_text("corrupt")
    fourth = grade_batch(subs, small_bank, grader=grader, cache=cache, progress=False)
    assert sorted(calls) == ["a", "a", "b", "b", "b"]
    assert [r.score for r in fourth] == [r.score for r in third]


@pytest.mark.slow
def test_cli_no_cache_and_cache_dir(tmp_path: Path, use_bank, runner_cli) -> None:
    from modl_tutor.cli import main

    sub = write_submission(tmp_path / "s", answers='[derivatives]\nslope = "10"\n')
    own = tmp_path / "own-cache"
    result = runner_cli.invoke(main, ["grade", str(sub), "--format", "json", "--no-cache",
                                      "--cache-dir", str(own)])
    assert result.exit_code == 0, result.output
    assert not own.exists()
    result = runner_cli.invoke(main, ["grade", str(sub), "--format", "json",
                                      "--cache-dir", str(own)])
    assert result.exit_code == 0, result.output
    assert len(list(own.rglob("*.json"))) == 1
    assert json.loads(result.stdout)["submissions"][0]["score"] == 4
