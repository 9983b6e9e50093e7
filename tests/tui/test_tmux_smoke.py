"""The app in a real 80x24 terminal (tmux): scripts/tmux_smoke.sh, skipped without tmux."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "tmux_smoke.sh"
MODL = Path(sys.executable).with_name("modl")

pytestmark = pytest.mark.slow


@pytest.mark.skipif(shutil.which("tmux") is None or shutil.which("bc") is None,
                    reason="tmux (and bc) not installed")
@pytest.mark.skipif(not MODL.exists(), reason="the modl entry point is not installed")
def test_tmux_smoke_at_80x24(tmp_path: Path) -> None:
    env = {**os.environ, "MODL": str(MODL), "SMOKE_SIZE": "80x24", "TMPDIR": str(tmp_path)}
    env.pop("MODL_BANK", None)  # the installed bank, as a student runs it
    done = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True,
                          timeout=180, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "tmux_smoke: OK at 80x24" in done.stdout
