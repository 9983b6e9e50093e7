"""A job with hidden checks runs in one child, in two phases: the hidden inputs reach it only
once the visible phase is answered for and what it printed is read. The hostile student tries
to pull them forward (a forged end of phase, reading the job pipe, forged visible results,
printing), to stall the supervisor on the second phase, and to borrow the second phase's CPU."""

from __future__ import annotations

import json
import sys
from typing import Any

import numpy as np
import pytest

from modl_tutor.grading import protocol, wire
from modl_tutor.grading.client import StudentRunner
from tests.grading.sandbox_modes import in_mode, started_in_mode

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sys.platform.startswith("linux"),
                                 reason="Linux sandbox details (namespaces, pipes)")]

SECRET = 7.125  # only ever in the hidden phase's inputs
VISIBLE = np.array([1.0, 2.0, 3.0])
HIDDEN = np.full(4, SECRET)
MARK = wire.encode(HIDDEN)["__ndarray__"]["data"]  # the hidden input as the job pipe holds it


@pytest.fixture(scope="module", params=["namespaces", "limits"])
def runner(request):  # type: ignore[no-untyped-def]
    yield from in_mode(request.param, StudentRunner)


@pytest.fixture(scope="module")
def budget_runner():  # type: ignore[no-untyped-def]
    """One runner in this machine's own mode (namespaces where they work, else limits): the
    tests that spend seconds of CPU on the phases' budgets, the same supervisor and child
    code in both modes, run once."""
    own = started_in_mode(None, StudentRunner)
    yield own
    own.close()


def _call(index: int, array: np.ndarray) -> dict[str, Any]:
    return {"i": index, "function": None, "check_unmodified": True,
            "args": wire.encode([array]), "kwargs": {}}


def phases(runner: StudentRunner, source: str, *, hidden: np.ndarray = HIDDEN,
           cpu: float = 5.0, wall: float | None = None,
           ) -> tuple[protocol.SandboxRun, protocol.SandboxRun | None]:
    """Visible call 0 on VISIBLE, then hidden call 1 on `hidden`, as the judge sends them."""
    job = {"source": source, "filename": "losses/softmax.py", "function": "softmax",
           "drivers": "", "calls": [_call(0, VISIBLE)], "cpu_seconds": cpu,
           "wall_seconds": wall if wall is not None else 3 * (cpu + 1) + 5, "memory_mb": 512}
    assert runner.control is not None
    return protocol.run_phases(runner.control.fileno(), job, [0],
                               {"calls": [_call(1, hidden)]}, [1])


def _everything(run: protocol.SandboxRun) -> str:
    return json.dumps({"records": run.records, "output": run.output,
                       "errors": [run.import_error, run.sandbox_error, run.exit_description]})


def _leaked(run: protocol.SandboxRun) -> bool:
    text = _everything(run)
    return MARK in text or MARK[:12] in text or str(SECRET) in text


def _value(run: protocol.SandboxRun, index: int) -> Any:
    record = run.records[index]
    assert record["ok"], record
    return wire.decode(record["value"])


COUNTING = '''
CALLS = []
print("imported")
def softmax(z, axis=-1):
    CALLS.append(float(z.sum()))
    print("saw", z.tolist())
    return [len(CALLS), float(z.sum())]
'''


def test_the_hidden_phase_imports_the_file_afresh_and_its_output_is_dropped(runner):
    visible, hidden = phases(runner, COUNTING)
    assert visible.finished and hidden is not None and hidden.finished and hidden.imported
    assert _value(visible, 0) == [1, 6.0]
    assert _value(hidden, 1) == [1, 4 * SECRET]  # a fresh module: its own first call
    assert 0 not in hidden.records and 1 not in visible.records
    assert "saw [1.0, 2.0, 3.0]" in visible.output
    assert not _leaked(visible)
    assert hidden.output == ""  # what the hidden phase printed is never shown


FIND_FDS = '''
import json, os, threading, time
def _writable():
    fds = []
    for fd in range(3, 40):
        try:
            os.write(fd, b"")
            fds.append(fd)
        except OSError:
            pass
    return fds
def _forge(line):
    for fd in _writable():
        try:
            os.write(fd, line.encode() + b"\\n")
        except OSError:
            pass
def _steal(seconds=1.0):
    """Whatever the job pipe holds, as soon as it holds it (never waiting for its end)."""
    import select
    got = b""
    end = time.monotonic() + seconds
    while time.monotonic() < end and b"AIAcQA" not in got:
        for fd in range(3, 40):
            try:
                ready, _, _ = select.select([fd], [], [], 0.002)
                if ready:
                    got += os.read(fd, 1 << 16)
            except (OSError, ValueError):
                continue
    return got.decode(errors="replace")
'''

PULL_FORWARD = FIND_FDS + '''
EARLY = _steal(0.3)                  # is anything beyond the visible job in the pipe already?
print("EARLY", EARLY)
_forge('{"event":"imported"}')
_forge('{"event":"done"}')          # "the visible phase is over": hand me the hidden inputs
STOLEN = _steal()                    # read them from the job pipe, during the visible phase
print("STOLEN", STOLEN)
_forge(json.dumps({"event": "result", "i": 0, "ok": True, "value": STOLEN}))
def softmax(z, axis=-1):
    print("LATER", STOLEN)
    return STOLEN
'''


def test_a_forged_end_of_phase_cannot_carry_hidden_inputs_into_visible_results(runner):
    visible, hidden = phases(runner, PULL_FORWARD)
    assert not _leaked(visible)
    assert 0 not in visible.records  # the forged and the real visible results came too late
    if hidden is not None:  # the hidden phase may run: it only accepts its own check
        assert set(hidden.records) <= {1} and hidden.output == ""


THREAD_PRINTS = FIND_FDS + '''
def _leak():
    stolen = _steal(2.0)
    for _ in range(100):
        print("THREAD", stolen, flush=True)
        _forge(json.dumps({"event": "result", "i": 0, "ok": True, "value": stolen}))
        time.sleep(0.005)
threading.Thread(target=_leak, daemon=True).start()
def softmax(z, axis=-1):
    return z.tolist()
'''


def test_a_thread_that_reads_the_job_pipe_leaks_nothing_into_the_visible_phase(runner):
    visible, hidden = phases(runner, THREAD_PRINTS)
    assert not _leaked(visible)
    assert _value(visible, 0) == [1.0, 2.0, 3.0]  # the real visible answer stands
    assert hidden is None or hidden.output == ""


NEVER_READS = FIND_FDS + '''
import time
_forge('{"event":"imported"}')
_forge('{"event":"done"}')
time.sleep(60)                       # and never read the (large) second phase
def softmax(z, axis=-1):
    return z
'''


def test_a_child_that_never_reads_the_second_phase_cannot_stall_its_supervisor(runner):
    big = np.zeros(400_000)  # ~3 MB encoded: far more than a pipe holds
    visible, hidden = phases(runner, NEVER_READS, hidden=big, cpu=1.0, wall=2.0)
    assert hidden is not None and hidden.timed_out and hidden.idle  # its own doing: a time-out
    assert not hidden.not_graded
    again, _ = phases(runner, COUNTING)  # the runner serves the next job as ever
    assert _value(again, 0) == [1, 6.0]


BUSY = '''
import time
def _burn(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
def softmax(z, axis=-1):
    _burn(0.6)
    return z.tolist()
'''


def test_each_phase_has_a_cpu_budget_of_its_own(budget_runner):
    runner = budget_runner
    visible, hidden = phases(runner, BUSY, cpu=1.0)
    assert _value(visible, 0) == [1.0, 2.0, 3.0]  # 1.2 s in all: 0.6 s per phase is in budget
    assert hidden is not None and _value(hidden, 1) == [SECRET] * 4
    assert 0.5 < hidden.cpu < 1.0  # the second phase's own CPU, not the child's whole


BORROW = '''
import resource, signal
def softmax(z, axis=-1):
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))   # the second phase's share, too
    signal.signal(signal.SIGXCPU, signal.SIG_IGN)
    while True:
        pass
'''


def test_a_first_phase_that_raises_its_own_cpu_limit_is_stopped_at_its_share(budget_runner):
    visible, hidden = phases(budget_runner, BORROW, cpu=1.0)
    assert visible.timed_out and hidden is None
    assert 1.5 < visible.cpu < 3.0  # its share (2 s), not the child's limit for both (4 s)


SUBVERT = '''
import signal, sys
signal.signal(signal.SIGXCPU, signal.SIG_IGN)
for name in ("modl_tutor.grading.sandbox.limits", "modl_tutor.grading.sandbox.child"):
    module = sys.modules.get(name)
    if module is not None and hasattr(module, "next_phase_cpu"):
        module.next_phase_cpu = lambda seconds: None   # keep the limit left for both phases
def softmax(z, axis=-1):
    if z.size == 3:
        return z.tolist()
    while True:
        pass
'''


def test_a_second_phase_is_held_to_its_share_whatever_the_child_did_to_its_limits(
        budget_runner):
    visible, hidden = phases(budget_runner, SUBVERT, cpu=1.0)
    assert _value(visible, 0) == [1.0, 2.0, 3.0]
    assert hidden is not None and hidden.timed_out and not hidden.not_graded
    assert 1 not in hidden.records and hidden.cpu < 3.0


def test_no_second_phase_after_an_import_error(runner):
    visible, hidden = phases(runner, "raise ValueError('no')\n")
    assert visible.import_error and hidden is None
