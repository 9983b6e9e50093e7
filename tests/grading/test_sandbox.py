"""The student runner as the judge sees it: a real runner process per sandbox mode, jobs as
plain data, the whitelisted view, limits, output capture and the bounded results channel."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from modl_tutor import paths
from modl_tutor.grading import protocol, wire
from modl_tutor.grading.client import StudentRunner
from tests.grading.sandbox_modes import in_mode

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sys.platform.startswith("linux"),
                                 reason="Linux sandbox details (/proc, namespaces, FIFOs)")]

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", params=["namespaces", "limits"])
def runner(request):  # type: ignore[no-untyped-def]
    yield from in_mode(request.param, StudentRunner)


def run(runner: StudentRunner, source: str, calls: list[tuple[Any, ...]] | None = None, *,
        cpu: float = 5.0, wall: float | None = None, function: str = "softmax",
        drivers: str = "") -> protocol.SandboxRun:
    """One job: each call is (args,) or (args, kwargs) for `function`."""
    specs = []
    for i, call in enumerate(calls if calls is not None else [(np.ones(2),)]):
        args, kwargs = (call[0], call[1]) if len(call) > 1 else (call, {})
        specs.append({"i": i, "function": None, "check_unmodified": True,
                      "args": wire.encode(list(args)), "kwargs": wire.encode(dict(kwargs))})
    job = {"source": source, "filename": "losses/softmax.py", "function": function,
           "drivers": drivers, "calls": specs, "cpu_seconds": cpu,
           "wall_seconds": wall if wall is not None else 3 * (cpu + 1) + 5, "memory_mb": 512}
    assert runner.control is not None
    return protocol.run_job(runner.control.fileno(), job, list(range(len(specs))))


def value(result: protocol.SandboxRun, index: int = 0) -> Any:
    record = result.records[index]
    assert record["ok"], record
    return wire.decode(record["value"])


PROBE = '''
import os, sys, resource, socket, gc
def softmax(z, axis=-1):
    def attempt(action):
        try:
            action()
            return "ok"
        except OSError as err:
            return type(err).__name__
    return {
        "uid": os.getuid(), "cwd": os.getcwd(), "env": sorted(os.environ),
        "interfaces": sorted(name for _, name in socket.if_nameindex()),
        "read_solution": attempt(lambda: open(SOLUTION).read()),
        "list_bank": attempt(lambda: os.listdir(BANK)),
        "list_package": attempt(lambda: os.listdir(PACKAGE)),
        "read_own_file": attempt(lambda: open(__file__).read()),
        "write_cwd": attempt(lambda: open("scratch.txt", "w").write("ok")),
        "write_etc": attempt(lambda: open("/etc/modl-sandbox-test", "w").write("x")),
        "nofile": resource.getrlimit(resource.RLIMIT_NOFILE)[0],
        "fsize": resource.getrlimit(resource.RLIMIT_FSIZE)[0],
        "cpu": list(resource.getrlimit(resource.RLIMIT_CPU)),
        "address_space": resource.getrlimit(resource.RLIMIT_AS)[0],
        "modules": sorted(m for m in sys.modules if m.startswith(("torch", "sympy", "modl_tutor.grading.code_grade", "modl_tutor.kernels", "modl_checks", "modl_tutor.bank"))),
        "secrets_in_memory": sum(1 for o in gc.get_objects() if type(o).__name__ in ("Check", "Tensor", "ExerciseResult")),
    }
'''


def _probe(runner: StudentRunner) -> dict[str, Any]:
    source = (PROBE.replace("SOLUTION", repr(str(paths.solutions_dir() / "losses" / "softmax.py")))
              .replace("BANK", repr(str(paths.exercises_dir())))
              .replace("PACKAGE", repr(str(Path(paths.__file__).parent))))
    result = run(runner, source)
    return value(result)


def test_capabilities_say_what_is_in_force(runner):
    caps = runner.capabilities
    assert {"cpu-time", "address-space", "file-size", "open-files"} <= set(caps["limits"])
    if caps["mode"] == "limits":
        assert not caps["network"] and not caps["filesystem"]
        assert "MODL_SANDBOX=limits" in caps["reason"] and "read every file" in caps["warning"]
    else:
        assert caps["network"] and caps["filesystem"] and caps["privileges_dropped"]
        assert caps["view"].startswith("whitelist") and not caps["warning"]


def test_the_child_holds_no_secret_and_its_limits_are_set(runner):
    seen = _probe(runner)
    assert seen["modules"] == [] and seen["secrets_in_memory"] == 0
    assert seen["read_own_file"] == "ok" and seen["write_cwd"] == "ok"
    assert seen["write_etc"] != "ok"
    assert seen["nofile"] == 64 and seen["fsize"] == 1 << 20 and seen["cpu"] == [5, 6]
    assert seen["address_space"] > 512 * 1024 * 1024
    assert seen["env"] == ["HOME", "LANG", "PATH", "TMPDIR"]
    if os.getuid() == 0:
        assert seen["uid"] >= 10_000_000
    if runner.capabilities["mode"] == "namespaces":
        assert seen["interfaces"] == ["lo"]
        assert seen["read_solution"] == "FileNotFoundError"
        assert seen["list_bank"] == "FileNotFoundError"
        assert seen["list_package"] == "FileNotFoundError"
        assert seen["cwd"] == "/scratch"
    assert not Path("/etc/modl-sandbox-test").exists()


WALK = '''
import os
def softmax(z, axis=-1):
    found = []
    for root, dirs, files in os.walk("/", onerror=None):
        if root.startswith(("/proc", "/sys")):
            dirs[:] = []
            continue
        found.extend(os.path.join(root, f) for f in files)
        if len(found) > 200_000:
            break
    return found
'''


def test_a_child_walking_every_folder_finds_nothing_of_the_grader(runner, tmp_path):
    if runner.capabilities["mode"] != "namespaces":
        pytest.skip("a limits-only sandbox cannot hide files (documented in its warning)")
    other = tmp_path / "sectionB" / "bob" / "losses"
    other.mkdir(parents=True)
    (other / "softmax.py").write_text("SECRET_OF_BOB = 1\n")
    seen = value(run(runner, WALK, cpu=20))
    assert seen and any(name.endswith("numpy/__init__.py") for name in seen)
    forbidden = [str(paths.exercises_dir()), str(paths.solutions_dir()),
                 str(Path(paths.__file__).parent), str(REPO), str(tmp_path)]
    leaks = [name for name in seen if any(name.startswith(f + "/") for f in forbidden)]
    assert leaks == []
    assert not any(name.endswith(("/exercise.toml", "/drivers.py")) or "/kernels/bank_" in name
                   or "torch" in name.split("/") or "modl_tutor" in name.split("/")
                   or "SECRET_OF_BOB" in name for name in seen)
    allowed_tops = {"/tmp", "/scratch", "/dev", "/lib", "/lib64", "/lib32", "/usr"}
    for name in seen:
        assert "/" + name.split("/")[1] in allowed_tops or "python3" in name or "numpy" in name, name


def test_results_are_plain_data_per_check(runner):
    source = ("import numpy as np\n"
              "def softmax(z, axis=-1):\n"
              "    if z.size == 1:\n"
              "        raise ValueError('one element')\n"
              "    return np.float32(2) * z\n")
    result = run(runner, source, [(np.arange(3.0),), (np.ones(1),)])
    assert result.finished and result.imported and not result.timed_out
    np.testing.assert_array_equal(value(result, 0), [0.0, 2.0, 4.0])
    assert result.records[1]["kind"] == "exception"
    assert "ValueError: one element (line 4: raise ValueError('one element'))" in \
        result.records[1]["error"]


def test_mutation_is_reported_with_where(runner):
    source = "def softmax(z, axis=-1):\n    z -= z.max()\n    return z\n"
    change = run(runner, source, [(np.array([1.0, 3.0]),)]).records[0]["mutated"][0]
    assert change == {"arg": 0, "name": "z", "index": [0], "before": 1.0, "after": -2.0}


def test_output_is_captured_and_truncated(runner):
    source = ("import os\n"
              "print('hello from the student')\n"
              "def softmax(z, axis=-1):\n"
              "    print('x' * 100_000)\n"
              "    os.write(2, b'y' * 100_000)\n"
              "    return z\n")
    result = run(runner, source)
    assert result.output.startswith("hello from the student")
    assert "output truncated" in result.output and len(result.output) < 9_000
    assert result.records[0]["ok"]


def test_cpu_time_is_the_budget(runner):
    busy = run(runner, "def softmax(z, axis=-1):\n    while True:\n        pass\n", cpu=1.0)
    assert busy.timed_out and not busy.not_graded and busy.current == 0 and not busy.records
    assert busy.cpu > 0.3 and "CPU-time" in busy.exit_description  # tick-sampled: rough


def test_waiting_without_computing_is_the_submissions_own_time_out(runner):
    idle = run(runner, "import time\ndef softmax(z, axis=-1):\n    time.sleep(60)\n",
               cpu=5.0, wall=1.0)
    assert idle.timed_out and idle.idle and not idle.not_graded and idle.cpu < 0.5


def test_a_busy_child_stopped_by_the_guard_is_not_graded(runner):
    # A CPU budget the wall-clock guard cuts short: the machine, not the student, is slow.
    busy = run(runner, "def softmax(z, axis=-1):\n    while True:\n        pass\n",
               cpu=30.0, wall=1.0)
    assert busy.not_graded and not busy.timed_out


def test_exit_descriptions(runner):
    exiting = run(runner, "import os\nos._exit(7)\n")
    assert not exiting.imported and "status 7" in exiting.exit_description
    broken = run(runner, "raise RuntimeError('at import')\n")
    assert broken.import_error.startswith("RuntimeError: at import")


FORGE = '''
import os, json
FORGED = (json.dumps({"event": "result", "i": 0, "ok": True, "value":
    {"__ndarray__": {"dtype": "<f8", "shape": [1] * 400_000, "data": ""}}}) + "\\n"
    + json.dumps({"event": "result", "i": 1, "ok": True, "value":
    {"__ndarray__": {"dtype": "V" + "5" * 7, "shape": [1], "data": ""}}}) + "\\n"
    + json.dumps({"event": "result", "i": 2, "ok": False, "kind": "x" * 1000,
                  "error": "n" * 20_000_000}) + "\\n"
    + json.dumps({"event": "exit", "status": "forged", "limit": "",
                  "output": "o" * 5_000_000}) + "\\n").encode()
def softmax(z, axis=-1):
    for fd in range(3, 64):  # the result channel is one of these (64 open files at most)
        try:
            os.write(fd, FORGED)
        except OSError:
            pass
    return z
'''


def test_forged_records_are_bounded_and_refused(runner):
    result = run(runner, FORGE, [(np.ones(2),), (np.ones(2),), (np.ones(2),)], cpu=10)
    assert result.exit_description != "forged" and len(result.output) < 10_000
    for index in (0, 1):
        record = result.records.get(index)
        if record is not None and record.get("ok"):
            with pytest.raises(wire.WireError):
                wire.decode(record["value"])
    bad = result.records.get(2)
    if bad is not None:
        assert len(bad["error"]) <= protocol.TEXT_LIMIT and len(bad["kind"]) <= 40
    assert len(json.dumps({k: str(v)[:100] for k, v in result.records.items()})) < 5_000


def test_drivers_are_public_functions_shipped_with_the_job(runner):
    drivers = "def double(module, x):\n    return module.softmax(x) * 2\n"
    job = {"source": "def softmax(z, axis=-1):\n    return z + 1\n", "filename": "a.py",
           "function": "softmax", "drivers": drivers,
           "calls": [{"i": 0, "driver": "double", "params": wire.encode({"x": np.ones(2)})},
                     {"i": 1, "function": "softmax", "args": wire.encode([wire.FnRef("f")]),
                      "kwargs": {}}],
           "cpu_seconds": 5, "wall_seconds": 20, "memory_mb": 512}
    assert runner.control is not None
    result = protocol.run_job(runner.control.fileno(), job, [0, 1])
    np.testing.assert_array_equal(value(result, 0), [4.0, 4.0])
    assert not result.records[1]["ok"]  # `f` is not in drivers.py: an error, not a crash


LEAVE = '''
import builtins, numpy
TOKEN = "__TOKEN__"
KEPT = {"left": TOKEN * 3}
numpy.modl_leftover = TOKEN
builtins.modl_leftover = TOKEN
def softmax(z, axis=-1):
    with open("leftover.txt", "w") as handle:
        handle.write(TOKEN)
    return z
'''

LOOK = '''
import builtins, gc, os, numpy
def softmax(z, axis=-1):
    token = "".join(["__HEAD__", "__TAIL__"])  # never whole in this job's own data
    def holds(value):
        return isinstance(value, str) and token in value
    found = [type(o).__name__ for o in gc.get_objects()
             if isinstance(o, dict) and any(holds(v) for v in list(o.values())[:50])
             or isinstance(o, (list, tuple)) and any(holds(v) for v in list(o)[:50])]
    return {"files": sorted(os.listdir(".")), "globals": [
        hasattr(numpy, "modl_leftover"), hasattr(builtins, "modl_leftover")],
        "in_memory": found}
'''


def test_a_child_never_sees_what_an_earlier_job_left(runner):
    # Children are forked ahead of the jobs, several per supervisor, each for one job: nothing
    # a job leaves (a file in its scratch folder, a global, data in memory) reaches a later
    # one, whether a sibling of the same supervisor or the child of another one runs it.
    from modl_tutor.grading.sandbox.slots import CHILDREN_PER_SLOT, FIRST_SLOT_CHILDREN

    token = os.urandom(8).hex()
    for _ in range(2 * CHILDREN_PER_SLOT):  # a child that has a sibling after it (any slot)
        # One job at a time: after a sync the slot that served is first in line. Without it,
        # two slots could finish in either order, and the wrong one would be first: it then
        # served every later job (the failure seen twice under load).
        runner.sync()
        left = run(runner, LEAVE.replace("__TOKEN__", token))
        assert left.finished and left.records.get(0, {}).get("ok"), (
            left.exit_description, left.sandbox_error, left.protocol_error, left.records)
        if left.slot[1] < FIRST_SLOT_CHILDREN - 1:
            break
    look = LOOK.replace("__HEAD__", token[:8]).replace("__TAIL__", token[8:])
    siblings = 0
    slots = [left.slot]
    for _ in range(4):
        runner.sync()  # the slot that served is ready again (first in line)
        later = run(runner, look)
        slots.append(later.slot)
        seen = value(later)
        assert seen["files"] == ["softmax.py"], (seen, slots)
        assert seen["globals"] == [False, False] and seen["in_memory"] == [], (seen, slots)
        if later.slot[:1] == left.slot[:1]:
            assert later.slot != left.slot, slots  # a sibling, never the same child again
            siblings += 1
            break
    assert siblings == 1, f"no later job ran in a sibling of the child that left things: {slots}"
    both = value(run(runner, LEAVE.replace("__TOKEN__", token).replace("def softmax", "def _")
                     + look))  # the probe does see what its own job left
    assert both["globals"] == [True, True] and "dict" in both["in_memory"], both


LISTEN = '''
import socket, time
def softmax(z, axis=-1):
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind("\\0modl-__TOKEN__")
    listener.listen(1)
    listener.settimeout(__WAIT__)
    started = time.time()
    try:
        connection, _ = listener.accept()
        return {"accepted": connection.recv(100).decode(), "listening_since": started}
    except OSError as err:
        return {"accepted": type(err).__name__, "listening_since": started}
'''

CONNECT = '''
import socket, time
def softmax(z, axis=-1):
    deadline = time.monotonic() + __WAIT__
    error = "never tried"
    while time.monotonic() < deadline:
        attempt = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            attempt.connect("\\0modl-__TOKEN__")
            attempt.sendall(b"hello from the other child")
            return {"connected": True, "last_attempt": time.time()}
        except OSError as err:
            error = type(err).__name__
        finally:
            attempt.close()
        time.sleep(0.02)
    return {"connected": False, "error": error, "last_attempt": time.time()}
'''


def test_two_concurrent_children_cannot_talk(runner):
    """A child listening on an abstract unix socket (scoped by network namespace) is not
    reachable from a child running at the same time; with limits only it is (the documented
    weakness), which also shows the two runs overlapped."""
    import threading

    token = os.urandom(8).hex()
    isolated = runner.capabilities["mode"] == "namespaces"
    wait = 2.0 if isolated else 10.0  # without isolation the connection ends both at once
    box: dict[str, Any] = {}
    listener = threading.Thread(target=lambda: box.update(run=run(
        runner, LISTEN.replace("__TOKEN__", token).replace("__WAIT__", str(wait)), cpu=5.0)))
    listener.start()
    other = value(run(runner, CONNECT.replace("__TOKEN__", token).replace(
        "__WAIT__", str(wait - 0.5)), cpu=5.0))
    listener.join()
    heard = value(box["run"])
    if not isolated:
        assert other["connected"] and heard["accepted"] == "hello from the other child"
        return
    assert not other["connected"] and other["error"] == "ConnectionRefusedError", other
    assert heard["accepted"] == "TimeoutError", heard
    assert heard["listening_since"] < other["last_attempt"]  # they did overlap


LEAVE_LISTENING = '''
import os, socket, time
def softmax(z, axis=-1):
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind("\\0modl-left-__TOKEN__")
    listener.listen(1)
    if os.fork() == 0:  # a process that would keep it listening after this job
        time.sleep(60)
        os._exit(0)
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.connect("\\0modl-left-__TOKEN__")  # reachable within the job itself
    return {"bound": True}
'''

CONNECT_ONCE = '''
import socket
def softmax(z, axis=-1):
    attempt = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        attempt.connect("\\0modl-left-__TOKEN__")
        return {"connected": True}
    except OSError as err:
        return {"connected": False, "error": type(err).__name__}
'''


def test_a_later_job_of_the_same_slot_cannot_reach_what_an_earlier_one_left(runner):
    """The children of one slot share its empty network namespace, one job at a time: a job
    that leaves a process listening on an abstract socket takes it with it (init of its PID
    namespace), so a later job of the same slot finds nothing to connect to."""
    if runner.capabilities["mode"] != "namespaces":
        pytest.skip("no network isolation with limits only (documented)")
    from modl_tutor.grading.sandbox.slots import CHILDREN_PER_SLOT, FIRST_SLOT_CHILDREN

    token = os.urandom(8).hex()
    for _ in range(2 * CHILDREN_PER_SLOT):  # a child that has a sibling after it (any slot)
        runner.sync()  # one job at a time: the slot that served stays first in line
        left = run(runner, LEAVE_LISTENING.replace("__TOKEN__", token))
        assert value(left) == {"bound": True}, left.records
        if left.slot[1] < FIRST_SLOT_CHILDREN - 1:
            break
    siblings = 0
    for _ in range(4):
        runner.sync()  # the slot that served is ready again (first in line)
        later = run(runner, CONNECT_ONCE.replace("__TOKEN__", token))
        assert value(later) == {"connected": False, "error": "ConnectionRefusedError"}
        if later.slot[:1] == left.slot[:1]:
            siblings += 1
            break
    assert siblings == 1, f"no later job ran in a sibling of the child that listened: {left.slot}"


def test_a_submission_can_use_numpy_testing_random_and_fft(runner):
    """The runner leaves them out of its preload (every fork would copy their mappings): a
    child imports them inside the view; with limits only they are preloaded (as another uid,
    run by root, the interpreter's own files may be unreadable, as under /root)."""
    result = run(runner, "import numpy as np\nimport numpy.testing as npt\nimport unittest\n"
                         "def softmax(z, axis=-1):\n    npt.assert_allclose(z, z)\n"
                         "    draw = np.random.default_rng(0).normal(size=3)\n"
                         "    spectrum = np.fft.rfft(np.ones(4))\n"
                         "    return [unittest.TestCase.__name__, draw.shape[0],"
                         " float(spectrum.real[0])]\n")
    assert value(result) == ["TestCase", 3, 4.0], result.records


def test_the_supervisor_reports_its_steps(runner):
    result = run(runner, "def softmax(z, axis=-1):\n    return z\n")
    assert {"prepare", "read", "deliver", "ready", "imported", "done"} <= set(result.timing)
    assert all(v >= 0 for v in result.timing.values())


def test_the_first_slots_are_small_and_later_ones_serve_more_jobs():
    """The slots forked at the start have FIRST_SLOT_CHILDREN children, the later ones
    CHILDREN_PER_SLOT; every job still gets a child of its own. (After a sync, the slot that served is first in line again: it serves until its children are used.)"""
    from modl_tutor.grading.sandbox import slots

    own = StudentRunner()
    own.start()
    used = []
    try:
        for _ in range(slots.SPARE_SLOTS * slots.FIRST_SLOT_CHILDREN + slots.CHILDREN_PER_SLOT):
            used.append(run(own, "def softmax(z, axis=-1):\n    return z\n").slot)
            own.sync()
    finally:
        own.close()
    children: dict[int, list[int]] = {}  # supervisor -> its children's indices, in job order
    for pid, index in used:
        children.setdefault(pid, []).append(index)
    first = [list(range(slots.FIRST_SLOT_CHILDREN))] * slots.SPARE_SLOTS
    assert list(children.values()) == first + [list(range(slots.CHILDREN_PER_SLOT))]


@pytest.mark.skipif(os.geteuid() != 0, reason="slots own their scratch folders by uid as root")
def test_idle_slots_leave_no_scratch_folder_behind(monkeypatch):
    # Limits only: each slot's scratch folder is a temp folder owned by the slot's fresh uid;
    # slots forked ahead and never used remove theirs when the runner stops.
    import tempfile

    monkeypatch.setenv("MODL_SANDBOX", "limits")
    own = StudentRunner()
    own.start()
    try:
        assert own.proc is not None and own.capabilities.get("mode") == "limits"
        first = 10_000_000 + (own.proc.pid % 20_000) * 5_000  # the runner's uid range
        assert value(run(own, "def softmax(z, axis=-1):\n    return z\n")).tolist() == [1, 1]
    finally:
        own.close()
    left = [entry for entry in Path(tempfile.gettempdir()).glob("modl-sandbox-*")
            if first <= entry.stat().st_uid < first + 5_000]
    assert left == []
