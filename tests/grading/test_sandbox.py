"""The sandbox run in-process: isolation (namespaces and the limits-only fallback), limits,
output capture, and the plain-data results channel."""

from __future__ import annotations

import os
import resource
from pathlib import Path

import numpy as np
import pytest

from modl_tutor import paths
from modl_tutor.grading import sandbox
from modl_tutor.grading.namespaces import plan_isolation
from modl_tutor.grading.toolkit.check import Check


@pytest.fixture(params=["namespaces", "limits"])
def mode(request, monkeypatch):  # type: ignore[no-untyped-def]
    if request.param == "limits":
        monkeypatch.setenv("MODL_SANDBOX", "limits")
    else:
        monkeypatch.delenv("MODL_SANDBOX", raising=False)
    caps = sandbox.sandbox_capabilities(refresh=True)
    if caps["mode"] != request.param:
        pytest.skip(f"{request.param} unavailable: {caps['reason']}")
    yield request.param
    monkeypatch.delenv("MODL_SANDBOX", raising=False)
    sandbox.sandbox_capabilities(refresh=True)


def student(tmp_path: Path, source: str) -> Path:
    path = tmp_path / "submissions" / "ws" / "losses" / "softmax.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    return path


def probe_environment(module):  # type: ignore[no-untyped-def] - runs inside the sandbox
    def attempt(action):  # type: ignore[no-untyped-def]
        try:
            action()
            return "ok"
        except OSError as err:
            return type(err).__name__

    solution = str(paths.solutions_dir() / "losses" / "softmax.py")
    with open("/proc/net/dev", encoding="ascii") as handle:
        interfaces = sorted(line.split(":")[0].strip() for line in handle.readlines()[2:])
    return {
        "uid": os.getuid(),
        "cwd": os.getcwd(),
        "env": sorted(os.environ),
        "interfaces": interfaces,
        "read_solution": attempt(lambda: open(solution).read()),
        "list_bank": attempt(lambda: os.listdir(paths.exercises_dir())),
        "read_own_file": attempt(lambda: open(module.__file__).read()),
        "write_cwd": attempt(lambda: open("scratch.txt", "w").write("ok")),
        "write_home": attempt(lambda: open(os.path.expanduser("~root/x"), "w").write("x")),
        "write_etc": attempt(lambda: open("/etc/modl-sandbox-test", "w").write("x")),
        "nofile": resource.getrlimit(resource.RLIMIT_NOFILE)[0],
        "fsize": resource.getrlimit(resource.RLIMIT_FSIZE)[0],
        "cpu": resource.getrlimit(resource.RLIMIT_CPU)[0],
        "address_space": resource.getrlimit(resource.RLIMIT_AS)[0],
        "torch_visible": "torch" in __import__("sys").modules,
    }


def run(tmp_path: Path, source: str, checks: list[Check], timeout: float = 5.0):  # type: ignore[no-untyped-def]
    return sandbox.run_checks(student(tmp_path, source), "softmax", checks, timeout=timeout,
                              memory_mb=512, secrets=[paths.bank_root()])


def test_capabilities_say_what_is_in_force(mode):
    caps = sandbox.sandbox_capabilities()
    assert caps["mode"] == mode
    assert {"wall-clock", "cpu", "address-space", "file-size", "open-files"} <= set(caps["limits"])
    if mode == "limits":
        assert not caps["network"] and not caps["filesystem"]
        assert "MODL_SANDBOX=limits" in caps["reason"]
    else:
        assert caps["network"] and caps["filesystem"] and caps["privileges_dropped"]


def test_isolation_as_seen_from_inside(mode, tmp_path):
    result = run(tmp_path, "def softmax(z, axis=-1):\n    return z\n",
                 [Check("probe", run=probe_environment)])
    record = result.records[0]
    assert record["ok"], record
    from modl_tutor.grading import wire

    seen = wire.decode(record["value"])
    assert seen["read_own_file"] == "ok" and seen["write_cwd"] == "ok"
    assert seen["write_etc"] != "ok"
    assert seen["nofile"] == 64 and seen["fsize"] == 1 << 20 and seen["cpu"] == 6
    assert seen["address_space"] > 512 * 1024 * 1024
    assert seen["env"] == ["HOME", "LANG", "PATH", "TMPDIR"]
    assert not seen["torch_visible"]
    if os.getuid() == 0:
        assert seen["uid"] >= sandbox.UID_BASE
    if mode == "namespaces":
        assert seen["interfaces"] == ["lo"]
        assert seen["read_solution"] == "FileNotFoundError"
        assert seen["list_bank"] == "FileNotFoundError"
        assert seen["write_home"] != "ok" and seen["cwd"] == "/tmp"
        assert result.isolation["network"] and result.isolation["filesystem"]
    assert not Path("/etc/modl-sandbox-test").exists()


def test_results_are_plain_data_per_check(tmp_path):
    source = ("import numpy as np\n"
              "def softmax(z, axis=-1):\n"
              "    if z.size == 1:\n"
              "        raise ValueError('one element')\n"
              "    return np.float32(2) * z\n")
    checks = [Check("a", args=(np.arange(3.0),)), Check("b", args=(np.ones(1),)),
              Check("c", args=(np.ones(2),), function="other")]
    result = run(tmp_path, source, checks)
    assert result.finished and result.imported and not result.timed_out
    from modl_tutor.grading import wire

    np.testing.assert_array_equal(wire.decode(result.records[0]["value"]), [0.0, 2.0, 4.0])
    assert result.records[1]["kind"] == "exception"
    assert "ValueError: one element (line 4: raise ValueError('one element'))" in \
        result.records[1]["error"]
    assert result.records[2]["kind"] == "missing_function"


def test_mutation_is_reported_with_where(tmp_path):
    source = "def softmax(z, axis=-1):\n    z -= z.max()\n    return z\n"
    result = run(tmp_path, source, [Check("m", args=(np.array([1.0, 3.0]),))])
    change = result.records[0]["mutated"][0]
    assert change == {"arg": 0, "name": "z", "index": [0], "before": 1.0, "after": -2.0}


def test_output_is_captured_and_truncated(tmp_path):
    source = ("import os\n"
              "print('hello from the student')\n"
              "def softmax(z, axis=-1):\n"
              "    print('x' * 100_000)\n"
              "    os.write(2, b'y' * 100_000)\n"
              "    return z\n")
    result = run(tmp_path, source, [Check("a", args=(np.ones(2),))])
    assert result.output.startswith("hello from the student")
    assert "output truncated" in result.output and len(result.output) < 9_000
    assert result.records[0]["ok"]


def test_wall_clock_limit_and_exit_descriptions(tmp_path):
    looping = run(tmp_path, "import time\ndef softmax(z, axis=-1):\n    time.sleep(60)\n",
                  [Check("slow", args=(np.ones(2),))], timeout=1.0)
    assert looping.timed_out and looping.current == 0 and not looping.records
    assert "SIGKILL" in looping.exit_description
    exiting = run(tmp_path, "import os\nos._exit(7)\n", [Check("a", args=(np.ones(2),))])
    assert not exiting.imported and "status 7" in exiting.exit_description
    broken = run(tmp_path, "raise RuntimeError('at import')\n", [Check("a", args=(np.ones(2),))])
    assert broken.import_error.startswith("RuntimeError: at import")


def test_plan_hides_the_bank_home_and_tmp_but_keeps_the_interpreter(tmp_path):
    file = tmp_path / "course" / "alice" / "losses" / "softmax.py"
    plan = plan_isolation(file, "x = 1\n", [paths.bank_root()], uid=None, fresh_proc=False)
    hidden = set(plan.hide)
    assert str(paths.bank_root().resolve()) in hidden or any(
        str(paths.bank_root().resolve()).startswith(h + "/") for h in hidden)
    assert "/tmp" in hidden  # the workspace's parent lies inside it
    assert not any(h in ("/", "/usr", "/etc") for h in hidden)
    home = os.path.realpath(os.path.expanduser("~"))
    prefix = os.path.realpath(os.sys.prefix)
    if prefix.startswith(home + "/"):
        assert any(prefix == k or prefix.startswith(k + "/") for k in plan.keep)
    for keep in plan.keep:
        assert not keep.startswith(str(paths.bank_root().resolve()) + "/")
