"""Every face works without the POSIX-only pieces (as on Windows): no `resource`, no fork, no
fd passing — math answers, the catalogue, and code grading through the spawn runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

WITHOUT_POSIX = '''
import os, socket, sys
sys.modules["resource"] = None      # import resource -> ImportError
sys.modules["fcntl"] = None
del os.fork
if hasattr(socket, "send_fds"):
    del socket.send_fds
'''


def _run(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "script.py"
    script.write_text(WITHOUT_POSIX + body)
    env = dict(os.environ, MODL_WORKSPACE=str(tmp_path / "default-ws"),
               MODL_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("MODL_SANDBOX", None)
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=300)


def test_cli_and_math_answers_need_no_posix_module(tmp_path):
    done = _run(tmp_path, '''
from click.testing import CliRunner
from modl_tutor.cli import main
runner = CliRunner()
init = runner.invoke(main, ["init", "ws", "--student", "alice"])
assert init.exit_code == 0, init.output
listed = runner.invoke(main, ["-w", "ws", "list", "--json"])
assert listed.exit_code == 0, listed.output
answer = runner.invoke(main, ["-w", "ws", "answer", "derivatives/tanh_prime", "1 - tanh(x)^2"])
assert answer.exit_code == 0, answer.output
import modl_tutor.tui.app  # the app imports too
assert "resource" not in [m for m in sys.modules if sys.modules[m] is not None]
print("OK")
''')
    assert done.returncode == 0, done.stderr[-3000:]
    assert "OK" in done.stdout


@pytest.mark.slow
def test_code_grading_falls_back_to_the_spawn_runner(tmp_path):
    solution = (REPO / "solutions" / "losses" / "softmax.py").read_text()
    done = _run(tmp_path, f'''
import json
from pathlib import Path
from modl_tutor.bank.loader import load_bank
from modl_tutor.grading.client import CodeGrader, code_request, probe_capabilities
bank = load_bank(strict=False)
exercise = bank.get("losses/softmax")
ws = Path("ws") / "losses"
ws.mkdir(parents=True)
(ws / "softmax.py").write_text({solution!r})
caps = probe_capabilities()
with CodeGrader(jobs=1) as grader:
    good = grader.grade(code_request(exercise, ws / "softmax.py", "alice"))
    (ws / "softmax.py").write_text("def softmax(z, axis=-1):\\n    while True:\\n        pass\\n")
    import dataclasses
    quick = dataclasses.replace(exercise, code=dataclasses.replace(exercise.code, timeout=1.0))
    loop = grader.grade(code_request(quick, ws / "softmax.py", "alice"))
print(json.dumps({{"caps": caps, "good": good, "loop": loop}}))
''')
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["caps"]["mode"] == "spawn" and "resource limits only" in seen["caps"]["warning"]
    assert seen["good"]["score"] == seen["good"]["max_score"] == 4
    assert seen["loop"]["score"] == 0
    assert "time limit" in seen["loop"]["message"] or any(
        "time limit" in c["message"] for c in seen["loop"]["checks"])
