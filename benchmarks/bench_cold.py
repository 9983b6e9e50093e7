"""Benchmark: what a student feels — cold commands (a fresh interpreter each, as typed), math
grading of a full answers.toml in-process, and the app: first paint and opening an exercise.

    python benchmarks/bench_cold.py [--runs 5] [--before CHECKOUT] [--no-app]

With --before, every figure is measured for that checkout too (PYTHONPATH=CHECKOUT),
interleaved in the same run (before, after, before, after...), and the ratio is printed.
The workspace holds the bank's canonical answer to every math exercise. Prints medians, the
load average, whether sympy was imported and where the time of `modl answer` goes; asserts
nothing about time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAIN = ("import atexit, sys; atexit.register(lambda: sys.stderr.write("
        "'\\nSYMPY=%d\\n' % ('sympy' in sys.modules))); "
        "from modl_tutor.cli import main; sys.exit(main())")
COMMANDS = (
    ("modl --help", ["--help"]),
    ("modl list (no derivations)", ["-w", "PLAIN", "list"]),
    ("modl list (all answers)", ["list"]),
    ("modl list (all, verdicts cached)", ["list"]),
    ("modl answer (right)", ["answer", "derivatives/sigmoid_prime", "sigmoid(x)*(1 - sigmoid(x))"]),
    ("modl answer (wrong)", ["answer", "derivatives/sigmoid_prime", "sigmoid(x)"]),
    ("modl answer (number)", ["answer", "precision/fp16_max", "65504"]),
    ("modl answer (choice)", ["answer", "derivatives/activation_choice", "a"]),
    ("modl equiv", ["equiv", "sigmoid(x)*(1-sigmoid(x))", "exp(-x)/(1+exp(-x))^2"]),
)
MATH = r"""
import json, sys, time
started = time.perf_counter()
from modl_tutor.bank.loader import load_bank
from modl_tutor.batch.verify import _accepted_text
from modl_tutor.grading.core import grade_texts
bank = load_bank(strict=False)
loaded = time.perf_counter() - started
math = [e for e in bank if not e.is_code]
kinds = {"all": math, "no derivations": [e for e in math if e.kind != "derivation"]}
texts = {e.id: {p.name: _accepted_text(e, p, "") for p in e.parts} for e in math}
out = {"count": len(math), "loaded": loaded}
for label, chosen in (("no derivations", kinds["no derivations"]), ("all", math)):
    started = time.perf_counter()
    for exercise in chosen:
        grade_texts(exercise, texts[exercise.id], seed="")
    out[label + " first"] = time.perf_counter() - started
    out[label + " sympy"] = "sympy" in sys.modules
    started = time.perf_counter()
    for exercise in chosen:
        grade_texts(exercise, texts[exercise.id], seed="")
    out[label + " again"] = time.perf_counter() - started
out["n no derivations"] = len(kinds["no derivations"])
print(json.dumps(out))
"""

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


CACHED = "modl list (all, verdicts cached)"
"""The one row that keeps the verdict cache (warmed once before timing); every other row runs
with MODL_VERDICT_CACHE=off, so it measures grading (a checkout without the cache ignores
both)."""
_CACHE_ROOT = Path(tempfile.mkdtemp(prefix="modl-cold-cache-"))


def _env(checkout: Path | None, label: str = "") -> dict[str, str]:
    env = dict(os.environ)
    if checkout is not None:
        env["PYTHONPATH"] = str(checkout)
    side = "before" if checkout is not None else "after"
    env["MODL_CACHE_DIR"] = str(_CACHE_ROOT / side)
    if label != CACHED:
        env["MODL_VERDICT_CACHE"] = "off"
    return env


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cold(argv: list[str], cwd: Path, checkout: Path | None,
          label: str = "") -> tuple[float, float, bool]:
    """(wall seconds, CPU seconds, sympy imported?) of one fresh `modl` process."""
    started, cpu = time.perf_counter(), _cpu()
    done = subprocess.run([sys.executable, "-c", MAIN, *argv], cwd=cwd,
                          env=_env(checkout, label),
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          check=False)
    return time.perf_counter() - started, _cpu() - cpu, "SYMPY=1" in done.stderr


def _workspace(work: Path, derivations: bool = True, name: str = "ws") -> Path:
    """A workspace holding the canonical answer of every math exercise (derivations
    left blank unless `derivations`)."""
    from modl_tutor.bank.loader import load_bank
    from modl_tutor.batch.verify import _accepted_text
    from modl_tutor.workspace.workspace import Workspace, init_workspace

    bank = load_bank(strict=False)
    root = work / name
    init_workspace(root, bank, student="bench")
    workspace = Workspace(root)
    for exercise in bank:
        if not exercise.is_code and (derivations or exercise.kind != "derivation"):
            workspace.record_answers(exercise, {p.name: _accepted_text(exercise, p, "bench")
                                                for p in exercise.parts})
    return root


def _math(checkout: Path | None, cwd: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", MATH], capture_output=True, text=True,
                         env=_env(checkout), check=True, cwd=cwd)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _where(cwd: Path) -> list[str]:
    """The slowest top-level imports of a cold `modl answer` (python -X importtime)."""
    argv = dict(COMMANDS)["modl answer (right)"]
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", MAIN, *argv],
                          cwd=cwd, capture_output=True, text=True, check=False,
                          env=_env(None))
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit() and not parts[2].startswith("  "):
            rows.append((int(parts[1]), parts[2].strip()))
    return [f"{us / 1000:6.1f} ms  {name}" for us, name in sorted(rows, reverse=True)[:8]]


PHASES = r"""
import sys, time
from pathlib import Path
marks = [("start", time.perf_counter())]
import modl_tutor.cli
marks.append(("import the CLI (click, commands)", time.perf_counter()))
from modl_tutor.bank.loader import default_bank
bank = default_bank()
marks.append(("load the bank (every exercise.toml)", time.perf_counter()))
from modl_tutor.tutor import Tutor
service = Tutor.open(Path(sys.argv[1]), bank)
marks.append(("open the workspace (service, progress store)", time.perf_counter()))
import modl_tutor.answers.check
marks.append(("import the answer engine (mpmath, light trees)", time.perf_counter()))
exercise = bank.get("derivatives/sigmoid_prime")
submission = service.check(exercise, {"answer": "sigmoid(x)*(1 - sigmoid(x))"})
marks.append(("grade (before and after, both parts)", time.perf_counter()))
shown = submission.outcomes["answer"].preview
marks.append(("draw the preview", time.perf_counter()))
from rich.console import Console
from modl_tutor.reports.terminal import answer_line
marks.append(("import rich for the verdict line", time.perf_counter()))
for (_, t0), (label, t1) in zip(marks, marks[1:]):
    print(f"{1000 * (t1 - t0):7.1f} ms  {label}")
print(f"{1000 * (marks[-1][1] - marks[0][1]):7.1f} ms  in all (interpreter start not included)")
"""


def _phases(cwd: Path) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PHASES, str(cwd)], capture_output=True,
                          text=True, check=False, cwd=cwd, env=_env(None))
    return done.stdout.splitlines() or [done.stderr[-500:]]


def _ratio(before: float, after: float) -> str:
    return f"{after / before:5.2f}x" if before else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", type=Path, help="a checkout to compare with")
    parser.add_argument("--no-app", action="store_true", help="skip the app's figures")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="modl-cold-"))
    cwd = _workspace(work)
    plain = _workspace(work, derivations=False, name="plain")
    commands = [(label, [str(plain) if a == "PLAIN" else a for a in argv])
                for label, argv in COMMANDS]
    sides: list[tuple[str, Path | None]] = [("after", None)]
    if args.before is not None:
        sides = [("before", args.before.resolve()), ("after", None)]
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()} at start "
          f"(cat /proc/loadavg: {Path('/proc/loadavg').read_text().strip()})")
    samples = {(side, label): [] for side, _ in sides for label, _ in commands}
    cpus = {(side, label): [] for side, _ in sides for label, _ in commands}
    sympy = {}
    for side, checkout in sides:  # the cached row's verdicts, computed once, not timed
        _cold(dict(commands)[CACHED], cwd, checkout, CACHED)
    for _ in range(args.runs):  # interleaved
        for label, argv in commands:
            for side, checkout in sides:
                seconds, cpu, loaded = _cold(argv, cwd, checkout, label)
                samples[side, label].append(seconds)
                cpus[side, label].append(cpu)
                sympy[side, label] = loaded
    head = "".join(f"{side:>10}" for side, _ in sides)
    print(f"  {'command (cold, median of ' + str(args.runs) + ')':<30}{head}   ratio"
          f"   CPU {'/'.join(side for side, _ in sides)} (ratio)  sympy")
    for label, _ in commands:
        values = [statistics.median(samples[side, label]) for side, _ in sides]
        cpu = [statistics.median(cpus[side, label]) for side, _ in sides]
        cells = "".join(f"{v:9.3f}s" for v in values)
        ratio = _ratio(values[0], values[-1]) if len(values) > 1 else ""
        cpu_ratio = f"({_ratio(cpu[0], cpu[-1]).strip()})" if len(cpu) > 1 else ""
        cpu_cells = "/".join(f"{c:.2f}" for c in cpu)
        loaded = "/".join("yes" if sympy[side, label] else "no" for side, _ in sides)
        print(f"  {label:<30}{cells}  {ratio:>6}   {cpu_cells}s {cpu_ratio:<8}  {loaded}")
    math: dict[str, list[dict[str, float]]] = {side: [] for side, _ in sides}
    for _ in range(max(1, args.runs // 2 + 1)):
        for side, checkout in sides:
            math[side].append(_math(checkout, work))
    for key in ("no derivations first", "no derivations again", "all first", "all again"):
        values = [1000 * statistics.median(m[key] for m in math[side]) for side, _ in sides]
        cells = "".join(f"{v:8.0f}ms" for v in values)
        ratio = _ratio(values[0], values[-1]) if len(values) > 1 else ""
        loaded = "/".join("yes" if math[side][-1][key.replace("first", "sympy").replace(
            "again", "sympy")] else "no" for side, _ in sides)
        print(f"  math in-process, {key:<19}{cells}  {ratio:>6}  {loaded}")
    last = math[sides[-1][0]][-1]
    print(f"    ({int(last['n no derivations'])} math exercises without derivations, "
          f"{int(last['count'])} in all; 'first' includes the engine's imports; bank load "
          f"{1000 * last['loaded']:.0f} ms not included)")
    print("  where a cold `modl answer` spends its time (after, one run):")
    for row in _phases(cwd):
        print("    " + row)
    print("  its slowest top-level imports (python -X importtime, after):")
    for row in _where(cwd):
        print("    " + row)
    if not args.no_app:
        _app(work)
    print(f"load average at end {os.getloadavg()}")


def _app(work: Path) -> None:
    paints, opens = [], []
    exercises = ["losses/softmax", "derivatives/sigmoid_prime", "backprop/logistic_worked_example"]
    for _ in range(2):
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


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
