"""Attacks on the grader as a hostile student would make them: answers looked up in memory, files
the submission points at, other students' files, a grader left running. Each loses its marks,
leaks nothing, ends in bounded time and leaves no process."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from modl_tutor import paths
from modl_tutor.bank.loader import load_bank
from modl_tutor.batch.runner import grade_batch
from modl_tutor.grading.core import grade_submission
from tests.processes import alive, descendants

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sys.platform.startswith("linux"),
                                 reason="Linux sandbox details (/proc, namespaces, FIFOs)")]

HOSTILE = Path(__file__).parent / "hostile"


@pytest.fixture(scope="module")
def bank():  # type: ignore[no-untyped-def]
    return load_bank(strict=False)


@pytest.fixture(scope="module")
def grader(shared_grader):  # type: ignore[no-untyped-def]
    return shared_grader


def _code_exercises(bank):  # type: ignore[no-untyped-def]
    import dataclasses

    quick = []
    for exercise in bank:
        if exercise.is_code:
            assert exercise.code is not None
            quick.append(dataclasses.replace(
                exercise, code=dataclasses.replace(exercise.code, timeout=2.0)))
    return quick


def test_a_generic_cheat_earns_nothing_on_any_code_exercise(bank, grader, tmp_path):
    exercises = _code_exercises(bank)
    cheat = (HOSTILE / "generic_cheat.py").read_text(encoding="utf-8")
    names = sorted({e.code.function for e in exercises if e.code is not None})
    cheat += "\n" + "\n".join(f"{name} = _cheat" for name in names) + "\n"
    root = tmp_path / "cheater"
    for exercise in exercises:
        target = root / exercise.workspace_file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(cheat, encoding="utf-8")
    result = grade_submission(root, bank, grader, exercises)
    earned = {e.id: e.score for e in result.exercises if e.score > 0}
    assert earned == {}, earned
    for graded in result.exercises:  # it ran, and found nothing of the grader's in memory
        assert "CHEAT FOUND" not in graded.output or "FOUND 0 " in graded.output, graded.output


def _secret_file(tmp_path: Path, token: str) -> Path:
    secret = tmp_path / "root-only" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(f"TOP SECRET {token}\n")
    os.chmod(secret, 0o600)
    return secret


def _all_text(results) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(f"{e.message}\n{e.output}\n" + "\n".join(c.message for c in e.checks)
                     for r in results for e in r.exercises) + "".join(r.error for r in results)


@pytest.mark.parametrize("attack,fragment", [
    ("sibling", "symbolic link"),
    ("solution", "symbolic link"),
    ("root_only", "symbolic link"),
    ("fifo", "not a regular file"),
    ("kmsg", "symbolic link"),
    ("folder_link", "is a symbolic link"),
    ("oversized", "too large"),
])
def test_the_grader_never_follows_what_a_submission_points_at(bank, grader, tmp_path, attack,
                                                                fragment):
    token = uuid.uuid4().hex
    softmax = bank.get("losses/softmax")
    honest = tmp_path / "class" / "bob"
    (honest / "losses").mkdir(parents=True)
    (honest / "losses" / "softmax.py").write_text(
        f"# {token}\n" + (bank.solutions_root / "losses" / "softmax.py").read_text())
    hostile = tmp_path / "class" / "mallory"
    (hostile / "losses").mkdir(parents=True)
    target = hostile / "losses" / "softmax.py"
    if attack == "sibling":
        target.symlink_to(honest / "losses" / "softmax.py")
    elif attack == "solution":
        target.symlink_to(paths.solutions_dir() / "losses" / "softmax.py")
    elif attack == "root_only":
        target.symlink_to(_secret_file(tmp_path, token))
    elif attack == "fifo":
        os.mkfifo(target)
    elif attack == "kmsg":
        target.symlink_to("/proc/kmsg")
    elif attack == "folder_link":
        shutil.rmtree(hostile / "losses")
        (hostile / "losses").symlink_to(honest / "losses")
    elif attack == "oversized":
        target.write_text("x = 1\n" * 60_000)
    started = time.monotonic()
    results = grade_batch([honest, hostile], bank, grader=grader, exercises=[softmax],
                          progress=False)
    assert time.monotonic() - started < 120  # a FIFO or a device never blocks the batch
    by_name = {Path(r.submission).name: r.exercises[0] for r in results}
    assert by_name["bob"].full_marks
    mallory = by_name["mallory"]
    assert mallory.score == 0 and mallory.status == "error"
    assert fragment in mallory.message, mallory.message
    assert "softmax.py" in mallory.message
    assert f"TOP SECRET {token}" not in _all_text(results)
    assert token not in _all_text([r for r in results if Path(r.submission).name == "mallory"])


def test_a_symlinked_answers_file_is_refused(bank, grader, tmp_path):
    token = uuid.uuid4().hex
    secret = _secret_file(tmp_path, token)
    hostile = tmp_path / "mallory"
    hostile.mkdir()
    (hostile / "answers.toml").symlink_to(secret)
    math = [e for e in bank if not e.is_code][:2]
    result = grade_submission(hostile, bank, grader, math)
    assert result.error and "symbolic link" in result.error
    assert token not in _all_text([result])


READ_OTHER = '''
import numpy as np
try:
    with open(OTHER) as handle:
        print("STOLEN", handle.read())
except OSError as err:
    print("refused:", type(err).__name__)
def softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)
'''


def test_two_sections_cannot_read_each_other(bank, grader, tmp_path):
    if not grader.capabilities.get("filesystem"):
        pytest.skip("a limits-only sandbox cannot hide files (documented in its warning)")
    token = uuid.uuid4().hex
    bob = tmp_path / "sectionB" / "bob" / "losses" / "softmax.py"
    bob.parent.mkdir(parents=True)
    bob.write_text(f"# {token}\n" + (bank.solutions_root / "losses/softmax.py").read_text())
    alice = tmp_path / "sectionA" / "alice" / "losses" / "softmax.py"
    alice.parent.mkdir(parents=True)
    alice.write_text(READ_OTHER.replace("OTHER", repr(str(bob))))
    results = grade_batch([alice.parent.parent, bob.parent.parent], bank, grader=grader,
                          exercises=[bank.get("losses/softmax")], progress=False)
    text = _all_text(results)
    assert token not in text and "refused: FileNotFoundError" in text
    assert all(r.exercises[0].full_marks for r in results)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_modl_leaves_no_process_behind(tmp_path):
    root = tmp_path / "looping"
    (root / "losses").mkdir(parents=True)
    (root / "losses" / "softmax.py").write_text(
        "import os\nos.fork()\ndef softmax(z, axis=-1):\n    while True:\n        pass\n")
    env = dict(os.environ, MODL_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.Popen([sys.executable, "-m", "modl_tutor", "grade", str(root),
                             "--no-cache", "--format", "json"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        seen: set[int] = set()
        while time.monotonic() < deadline and len(seen) < 6:  # client, 2 servers, jobs
            seen |= descendants(proc.pid)
            time.sleep(0.05)
        assert len(seen) >= 4, seen
        time.sleep(0.3)
        seen |= descendants(proc.pid)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(alive(p) for p in seen):
        time.sleep(0.05)
    assert [p for p in seen if alive(p)] == []


def test_a_batch_with_forged_results_stays_small_and_bounded(bank, grader, tmp_path):
    from modl_tutor.reports.render import render_report
    from tests.grading.test_sandbox import FORGE

    honest = tmp_path / "class" / "bob" / "losses"
    honest.mkdir(parents=True)
    shutil.copy(bank.solutions_root / "losses" / "softmax.py", honest / "softmax.py")
    forger = tmp_path / "class" / "mallory" / "losses"
    forger.mkdir(parents=True)
    (forger / "softmax.py").write_text(FORGE)
    results = grade_batch([honest.parent, forger.parent], bank, grader=grader,
                          exercises=[bank.get("losses/softmax")], progress=False)
    by_name = {Path(r.submission).name: r.exercises[0] for r in results}
    assert by_name["bob"].full_marks and by_name["mallory"].score == 0
    report = tmp_path / "report.json"
    render_report(results, "json", str(report), bank=bank)
    assert report.stat().st_size < 5 * 1024 * 1024
