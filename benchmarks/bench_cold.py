"""Benchmark: what a student feels — cold commands (a fresh interpreter each, as typed), math
grading of a full answers.toml in-process, and the app: first paint and opening an exercise.

    python benchmarks/bench_cold.py [--runs 5]

Prints medians with the load average; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MAIN = "import sys; from modl_tutor.cli import main; sys.exit(main())"
COMMANDS = (
    ("modl --help", ["--help"]),
    ("modl list", ["list"]),
    ("modl answer (right)", ["answer", "derivatives/sigmoid_prime", "sigmoid(x)*(1 - sigmoid(x))"]),
    ("modl answer (wrong)", ["answer", "derivatives/sigmoid_prime", "sigmoid(x)"]),
    ("modl answer (number)", ["answer", "precision/fp16_max", "65504"]),
    ("modl equiv", ["equiv", "sigmoid(x)*(1-sigmoid(x))", "exp(-x)/(1+exp(-x))^2"]),
)

TUI = r"""
import asyncio, json, sys, tempfile, time
from pathlib import Path
from modl_tutor.bank.loader import load_bank
from modl_tutor.workspace.workspace import init_workspace
bank = load_bank(strict=False)
root = Path(tempfile.mkdtemp()) / "ws"
init_workspace(root, bank, student="bench")
t0 = time.perf_counter()
from modl_tutor.tui.app import ModlApp

async def main():
    app = ModlApp(root, bank=bank)
    opened = {}
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        paint = time.perf_counter() - t0
        for exercise_id in sys.argv[1:]:
            started = time.perf_counter()
            app.open_exercise(exercise_id)
            await pilot.pause()
            opened[exercise_id] = time.perf_counter() - started
            app.pop_screen()
            await pilot.pause()
    return paint, opened

paint, opened = asyncio.run(main())
print(json.dumps({"paint": paint, "opened": opened}))
"""


def _cold(argv: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", MAIN, *argv], cwd=cwd, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def _math_in_process() -> tuple[float, float, int]:
    """Grade every math exercise of the bank from its canonical answers (first and again)."""
    from modl_tutor.bank.loader import load_bank
    from modl_tutor.batch.verify import _accepted_text
    from modl_tutor.grading.core import grade_texts

    bank = load_bank(strict=False)
    math = [e for e in bank if not e.is_code]
    texts = {e.id: {p.name: _accepted_text(e, p, "") for p in e.parts} for e in math}
    figures = []
    for _ in range(2):
        started = time.perf_counter()
        for exercise in math:
            grade_texts(exercise, texts[exercise.id], seed="")
        figures.append(time.perf_counter() - started)
    return figures[0], figures[1], len(math)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="modl-cold-"))
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at start")
    samples: dict[str, list[float]] = {label: [] for label, _ in COMMANDS}
    for _ in range(args.runs):  # interleaved
        for label, argv in COMMANDS:
            samples[label].append(_cold(argv, work))
    for label, values in samples.items():
        print(f"  {label:<24} {statistics.median(values):6.2f} s  (median of {args.runs})")
    first, again, count = _math_in_process()
    print(f"  math grading in-process, canonical answers of all {count} math exercises: "
          f"first {1000 * first:.0f} ms (imports included), again {1000 * again:.0f} ms")
    paints, opens = [], []
    exercises = ["losses/softmax", "derivatives/sigmoid_prime", "backprop/logistic_worked_example"]
    for _ in range(max(1, args.runs // 2)):
        out = subprocess.run([sys.executable, "-c", TUI, *exercises], capture_output=True,
                             text=True, check=True, cwd=work)
        data = json.loads(out.stdout.strip().splitlines()[-1])
        paints.append(data["paint"])
        opens.append(data["opened"])
    print(f"  app first paint (import + mount)  {1000 * statistics.median(paints):6.0f} ms")
    for exercise_id in exercises:
        values = [o[exercise_id] for o in opens]
        print(f"  app opens {exercise_id:<32} {1000 * statistics.median(values):6.0f} ms "
              f"(first open in the process)")
    print(f"load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
