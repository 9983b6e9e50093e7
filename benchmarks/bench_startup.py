"""Start-up of the app: import cost (-X importtime) and time to the catalogue's first paint.

    python benchmarks/bench_startup.py [--runs 5]

Each run is a fresh interpreter, as when a student types `modl`. It prints figures only; it
asserts nothing about time (no timing assertions anywhere in the test suite).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

HEAVY = ("torch", "sympy", "numpy", "mpmath", "plotext", "textual_plotext", "watchfiles")

CHILD = r"""
import asyncio, json, sys, tempfile, time
from pathlib import Path
t0 = time.perf_counter()
from modl_tutor.tui.app import ModlApp
t_import = time.perf_counter()
from modl_tutor.bank.loader import load_bank
from modl_tutor.workspace.workspace import init_workspace
bank = load_bank(strict=False)
t_bank = time.perf_counter()
root = Path(tempfile.mkdtemp()) / "ws"
init_workspace(root, bank, student="bench")
t_ws = time.perf_counter()

async def main():
    app = ModlApp(root, bank=bank)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        listing = app.screen.query_one("#exercises")
        assert listing.option_count > 0
        return time.perf_counter(), sorted(m for m in sys.modules if m.split(".")[0] in HEAVY)

t_paint, heavy = asyncio.run(main())
print(json.dumps({"import": t_import - t0, "bank": t_bank - t_import,
                  "paint": t_paint - t_ws, "total": t_paint - t0 - (t_ws - t_bank),
                  "exercises": len(bank), "heavy": heavy}))
"""


def run_child() -> dict:
    code = f"HEAVY = {HEAVY!r}\n" + CHILD
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    data["process"] = time.perf_counter() - started
    return data


def importtime() -> tuple[float, list[tuple[int, str]]]:
    """Cumulative import time of modl_tutor.tui.app (ms) and its heaviest direct imports."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import modl_tutor.tui.app"],
                         capture_output=True, text=True, check=True).stderr
    children: list[tuple[int, str]] = []
    for line in out.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = line[len("import time:"):].split("|")
        depth = (len(name) - len(name.lstrip())) // 2
        if depth == 0:
            if name.strip() == "modl_tutor.tui.app":
                return int(cumulative) / 1000, sorted(children, reverse=True)[:8]
            children = []
        elif depth == 1:
            children.append((int(cumulative), name.strip()))
    raise SystemExit("modl_tutor.tui.app not found in -X importtime output")



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    total_ms, top = importtime()
    print(f"-X importtime: import modl_tutor.tui.app = {total_ms:.0f} ms cumulative")
    for cumulative, name in top:
        print(f"    {cumulative / 1000:7.1f} ms  {name}")
    runs = [run_child() for _ in range(args.runs)]
    for key, label in (("import", "import the app"), ("bank", "load the bank"),
                       ("paint", "app start to first paint"),
                       ("total", "import + bank + first paint"),
                       ("process", "whole child process")):
        values = [r[key] * 1000 for r in runs]
        print(f"{label:<28} median {statistics.median(values):7.0f} ms   "
              f"min {min(values):7.0f} ms   ({args.runs} fresh interpreters)")
    print(f"bank: {runs[0]['exercises']} exercises; heavy modules loaded by first paint: "
          f"{', '.join(runs[0]['heavy']) or 'none'}")


if __name__ == "__main__":
    main()
