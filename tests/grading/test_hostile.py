"""Hostile submissions for losses/softmax: each loses its marks, the rest is graded in full.

Every hostile file of tests/grading/hostile/ is graded in a submission that also holds the
reference solutions of other exercises, through one CodeGrader per sandbox mode (namespaces
where Linux allows them, and the forced `MODL_SANDBOX=limits` fallback).
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import sys
import uuid
from pathlib import Path

import pytest

from modl_tutor import paths
from modl_tutor.bank.loader import load_bank
from modl_tutor.grading.client import CodeGrader
from modl_tutor.grading.core import grade_submission
from tests.grading.sandbox_modes import in_mode

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sys.platform.startswith("linux"),
                                 reason="Linux sandbox details (/proc, namespaces, FIFOs)")]

HOSTILE = Path(__file__).parent / "hostile"
TARGET = "losses/softmax"
OTHERS = ("losses/cross_entropy", "backprop/mlp2_backward")
"""Graded in full beside every hostile file: the attack costs only its own exercise."""
TIMEOUT = 1.0
"""The hostile exercise's CPU budget (an infinite loop costs this, one ignoring SIGXCPU one
second more): the smallest budget the limit allows, so the time-limit attacks stay cheap."""
MEMORY_MB = 256


@pytest.fixture(scope="module")
def bank():  # type: ignore[no-untyped-def]
    return load_bank(strict=False)


@pytest.fixture(scope="module", params=["namespaces", "limits"])
def grader(request, shared_grader):  # type: ignore[no-untyped-def]
    if request.param == "namespaces" and shared_grader.capabilities.get("mode") == "namespaces":
        yield shared_grader
        return
    yield from in_mode(request.param, lambda: CodeGrader(jobs=2))


def _exercises(bank):  # type: ignore[no-untyped-def]
    ids = {e.id for e in bank}
    if TARGET not in ids:
        pytest.skip(f"{TARGET} is not in the bank")
    target = bank.get(TARGET)
    assert target.code is not None
    quick = dataclasses.replace(target, code=dataclasses.replace(target.code, timeout=TIMEOUT,
                                                                 memory_mb=MEMORY_MB))
    others = [bank.get(i) for i in OTHERS if i in ids
              and (bank.solutions_root / f"{i}.py").is_file()]
    return quick, others


def _grade(bank, grader, tmp_path: Path, name: str, token: str = ""):  # type: ignore[no-untyped-def]
    quick, others = _exercises(bank)
    root = tmp_path / "submissions" / "student"
    root.mkdir(parents=True)
    token = token or uuid.uuid4().hex[:10]
    source = (HOSTILE / f"{name}.py").read_text(encoding="utf-8")
    source = (source.replace("__TOKEN__", token)
              .replace("__SOLUTION__", str(paths.solutions_dir() / "losses" / "softmax.py"))
              .replace("__OUTSIDE__", str(tmp_path / "submissions" / f"outside-{token}")))
    (root / "losses").mkdir()
    (root / "losses" / "softmax.py").write_text(source, encoding="utf-8")
    for exercise in others:
        target = root / exercise.workspace_file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(bank.solutions_root / f"{exercise.id}.py", target)
    result = grade_submission(root, bank, grader, [quick, *others])
    grader.sync()  # every process of every job reaped
    by_id = {e.id: e for e in result.exercises}
    for exercise in others:
        graded = by_id[exercise.id]
        assert graded.full_marks, (exercise.id, graded.message, [c.message for c in graded.checks])
    hostile = by_id[TARGET]
    assert hostile.score == 0, (hostile.message, [c.message for c in hostile.checks])
    return hostile


def _text(result) -> str:  # type: ignore[no-untyped-def]
    return "\n".join([result.message, *[c.message for c in result.checks]])


def _processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _alive(pid: int, marker: str) -> bool:
    """Is `pid` a living (not zombie) process running with `marker` on its command line?
    (The marker guards against the pid having been reused by an unrelated process.)"""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    state = next((line.split()[1] for line in status.splitlines() if line.startswith("State:")),
                 "X")
    return state not in ("Z", "X") and marker.encode() in cmdline


@pytest.mark.parametrize("name,fragment", [
    ("infinite_loop", "time limit"),
    ("ignore_signals", "time limit"),
    ("exit_at_import", "exited with status 3"),
    ("sys_exit", "sys.exit(0)"),
    ("sys_exit_import", "sys.exit('bye')"),
    ("memory_bomb", "MemoryError"),
    ("deep_recursion", "RecursionError"),
    ("stack_overflow", "segmentation fault"),
    ("segfault", "segmentation fault"),
    ("segfault_kill", "segmentation fault"),
    ("syntax_error", "SyntaxError at line 5"),
    ("missing_function", "does not define a function `softmax`"),
    ("torch_patch", "`import torch` is not allowed"),
    ("builtins_patch", "`__builtins__` is not allowed"),
    ("lying_objects", "not plain data"),
])
def test_hostile_submission_loses_its_marks(bank, grader, tmp_path, name, fragment):
    result = _grade(bank, grader, tmp_path, name)  # asserts it earned nothing
    if name in ("segfault", "segfault_kill") and grader.capabilities.get("pid_namespace"):
        # As init of its own PID namespace the child ignores the SIGSEGV it sends itself
        # (a real fault, as in stack_overflow, still kills it): it runs on and fails.
        fragment = "values differ"
    assert fragment in _text(result)


def test_monkeypatching_numpy_and_json_changes_nothing(bank, grader, tmp_path):
    result = _grade(bank, grader, tmp_path, "monkeypatch")
    assert result.checks and not any(c.passed for c in result.checks)
    assert "values differ" in _text(result)


def test_fake_results_on_stdout_are_just_output(bank, grader, tmp_path):
    result = _grade(bank, grader, tmp_path, "fake_results")
    assert '"event": "result"' in result.output  # shown as what it is: printed text
    assert result.status == "failed" and not any(c.passed for c in result.checks)


def test_huge_output_is_truncated(bank, grader, tmp_path):
    result = _grade(bank, grader, tmp_path, "huge_output")
    assert "output truncated" in result.output
    assert len(result.output) < 20_000


def test_fork_bomb_is_bounded_and_reaped(bank, grader, tmp_path):
    token = uuid.uuid4().hex[:10]
    result = _grade(bank, grader, tmp_path, "fork_bomb", token)
    assert "children before the limit" in result.output
    assert not _processes_with(f"4343.{token}")
    if not grader.capabilities.get("pid_namespace"):  # else the pids are namespace pids
        pids = [int(m.group(1)) for m in re.finditer(r"child (\d+)", result.output)]
        assert not any(_alive(pid, f"4343.{token}") for pid in pids)


def test_sleeping_subprocess_is_dead_afterwards(bank, grader, tmp_path):
    token = uuid.uuid4().hex[:10]
    result = _grade(bank, grader, tmp_path, "sleeping_subprocess", token)
    # Whether `sleep` could start at all depends on the view (the whitelist has no /bin);
    # what matters: nothing it started is alive once the exercise is graded.
    assert not [pid for pid in _processes_with(f"4242.{token}") if _alive(pid, token)]
    found = re.search(r"sleeper (\d+)", result.output)
    if found and not grader.capabilities.get("pid_namespace"):
        assert not _alive(int(found.group(1)), f"4242.{token}")


def test_writes_outside_its_temp_dir_do_not_land(bank, grader, tmp_path):
    token = uuid.uuid4().hex[:10]
    shared = [Path(f"{place}/modl-hostile-{token}") for place in ("/tmp", "/var/tmp", "/dev/shm")]
    try:
        result = _grade(bank, grader, tmp_path, "write_outside", token)
    finally:
        landed = [p for p in shared if p.exists()]
        for path in landed:  # only a limits-only sandbox lets these through (documented)
            path.unlink()
    if not (grader.capabilities.get("privileges_dropped") or
            grader.capabilities.get("filesystem")):
        return  # limits only, as the user who runs modl: writes are that user's (documented)
    assert "refused:" in result.output
    assert not (tmp_path / "submissions" / f"outside-{token}").exists()
    assert not (tmp_path / "submissions" / "student" / "losses" / f"softmax.py.{token}").exists()
    assert not Path(os.path.expanduser(f"~/modl-hostile-{token}")).exists()
    if grader.capabilities.get("filesystem"):
        assert not landed


def test_solutions_are_out_of_reach(bank, grader, tmp_path):
    if not grader.capabilities.get("filesystem"):
        pytest.skip("a limits-only sandbox cannot hide files (documented degradation)")
    result = _grade(bank, grader, tmp_path, "read_solution")
    assert "could not be imported" in result.message
    assert "No such file or directory" in result.message
