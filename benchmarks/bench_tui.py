"""Benchmark: the app's first paint and opening an exercise, before/after in one interleaved run.

    python benchmarks/bench_tui.py [--runs 7] [--before DIR] [--size 80x24] [--profile ID]

Each sample is a fresh interpreter running the app headless (Textual's test driver). A frame
counts as painted when the app hands a rendered frame to its driver (`App._display`), so the
figures are what a terminal would show, not when the event queue happens to drain:

- launch → catalogue: from starting the interpreter to the catalogue's first frame, as a
  student feels `modl` (bank loading and imports included);
- import → catalogue: from importing the app (bank already loaded) to that frame, the figure
  benchmarks/bench_cold.py prints;
- open ID: from `open_exercise()` to the first frame of the exercise showing its whole prompt
  (every markdown block of the prompt rendered), first open in the process and a second open;
- CPU: the process's CPU time over the same spans (all threads), less sensitive to the load;
- work: style applications (Stylesheet.apply) and widgets mounted, for the first paint and
  for each open until idle: counts that do not depend on the machine's load.

As on every launch but a workspace's very first: the workspace's progress store exists (the
first launch creates it: a few fsyncs, 10-100 ms on a shared disk, once) and the bytecode of
every module is cached (in a private PYTHONPYCACHEPREFIX, warmed by one uncounted sample per
variant), as in an installed copy, even where PYTHONDONTWRITEBYTECODE is set.

`--before DIR` (a checkout of an older commit) is put first on PYTHONPATH for the "before"
samples; before and after alternate (A, B, A, B...) and medians are printed with the load
average. `--profile ID` prints a cProfile of opening ID instead. Asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXERCISES = ("losses/softmax", "derivatives/sigmoid_prime", "backprop/logistic_worked_example",
             "derivatives/activation_choice")

CHILD = r"""
import asyncio, json, sys, tempfile, time
launched = float(sys.argv[1])
size = tuple(int(v) for v in sys.argv[2].split("x"))
profile = sys.argv[3]
exercise_ids = sys.argv[4:]
from pathlib import Path
from modl_tutor.bank.loader import load_bank
from modl_tutor.progress.store import ProgressStore
from modl_tutor.workspace.workspace import init_workspace
bank = load_bank(strict=False)
root = Path(tempfile.mkdtemp(prefix="modl-bench-tui-")) / "ws"
init_workspace(root, bank, student="bench")
ProgressStore.for_workspace(root)  # created at the workspace's first launch, once
t_import, cpu_import = time.perf_counter(), time.process_time()
from modl_tutor.tui.app import ModlApp
from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.widgets import Markdown

work = {"styled": 0, "mounted": 0}  # load-independent: style applications, widgets mounted
_apply, _register = Stylesheet.apply, App._register

def counted_apply(self, *args, **kwargs):
    work["styled"] += 1
    return _apply(self, *args, **kwargs)

def counted_register(self, parent, *widgets, **kwargs):
    work["mounted"] += len(widgets)
    return _register(self, parent, *widgets, **kwargs)

Stylesheet.apply, App._register = counted_apply, counted_register

frames = {}

def complete(screen):
    # every markdown block of the screen that has a source has been rendered
    return all(md.children or not md.source.strip() for md in screen.query(Markdown)
               if md.display and md.id != "solution")

async def main():
    import modl_tutor.tui.app as app_module
    getattr(app_module, "pause_gc_until_first_paint", lambda: None)()  # as run_app does
    app = ModlApp(root, bank=bank)
    original = app._display

    def display(screen, renderable):
        original(screen, renderable)
        if renderable is not None:
            now = time.perf_counter()
            frames.setdefault((id(screen), "first"), now)
            frames.setdefault((id(screen), "first cpu"), time.process_time())
            if (id(screen), "complete") not in frames and complete(screen):
                frames[(id(screen), "complete")] = now
                frames[(id(screen), "complete cpu")] = time.process_time()

    app._display = display
    out = {"opened": {}, "work": {}}
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        catalogue = app.screen
        out["paint_wall"] = time.time() - (time.perf_counter() - frames[(id(catalogue), "first")])
        out["import_paint"] = frames[(id(catalogue), "first")] - t_import
        out["import_paint_cpu"] = frames[(id(catalogue), "first cpu")] - cpu_import
        out["work"]["catalogue"] = dict(work)
        prof = None
        for round_ in ("first", "again"):
            for exercise_id in exercise_ids:
                if profile == exercise_id and round_ == "first":
                    import cProfile
                    prof = cProfile.Profile()
                    prof.enable()
                before = dict(work)
                started, cpu_started = time.perf_counter(), time.process_time()
                app.open_exercise(exercise_id)
                screen = app.screen
                for _ in range(400):
                    if (id(screen), "complete") in frames:
                        break
                    await asyncio.sleep(0.001)
                if prof is not None:
                    prof.disable()
                    import pstats
                    pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(60)
                    prof = None
                first = frames.get((id(screen), "first"), float("nan")) - started
                done = frames.get((id(screen), "complete"), float("nan")) - started
                cpu = frames.get((id(screen), "complete cpu"), float("nan")) - cpu_started
                out["opened"][f"{exercise_id} {round_}"] = [first, done, cpu]
                await pilot.pause()
                out["work"][f"{exercise_id} {round_}"] = {k: work[k] - before[k] for k in work}
                app.pop_screen()
                await pilot.pause()
    return out

out = asyncio.run(main())
import shutil
shutil.rmtree(root.parent, ignore_errors=True)
out["launched"] = launched
print(json.dumps(out))
"""


PYCACHE = tempfile.mkdtemp(prefix="modl-bench-tui-pycache-")


def sample(pythonpath: str | None, size: str, exercises: tuple[str, ...],
           profile: str = "-") -> dict:
    env = dict(os.environ)
    env.pop("MODL_BANK", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = PYCACHE
    if pythonpath:
        env["PYTHONPATH"] = pythonpath + os.pathsep + env.get("PYTHONPATH", "")
    launched = time.time()
    out = subprocess.run([sys.executable, "-c", CHILD, str(launched), size, profile,
                          *exercises], capture_output=True, text=True, env=env,
                         cwd=tempfile.gettempdir(), check=False)
    if out.returncode != 0:
        raise SystemExit(f"bench_tui: the app failed ({pythonpath or 'this checkout'}):\n"
                         f"{out.stderr[-3000:]}")
    if profile != "-":
        print(out.stderr)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    data["launch_paint"] = data["paint_wall"] - launched
    return data


def ms(values: list[float]) -> str:
    return f"{1000 * statistics.median(values):6.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--before", help="a checkout to compare with (put on PYTHONPATH)")
    parser.add_argument("--size", default="80x24", help="terminal size, e.g. 120x40")
    parser.add_argument("--profile", help="print a cProfile of opening this exercise")
    parser.add_argument("exercises", nargs="*", default=list(EXERCISES))
    args = parser.parse_args()
    exercises = tuple(args.exercises)
    variants = [("after", None)]
    if args.before:
        variants.insert(0, ("before", str(Path(args.before).resolve())))
    for _label, path in variants:  # compiles and caches the bytecode; not counted
        sample(path, args.size, exercises[:1])
    if args.profile:
        sample(None, args.size, exercises, args.profile)
        return
    print(f"{os.cpu_count()} cores; terminal {args.size}; {args.runs} runs interleaved; "
          f"load average {os.getloadavg()[0]:.2f} at start")
    runs: dict[str, list[dict]] = {label: [] for label, _ in variants}
    loads = []
    for _ in range(args.runs):
        for label, path in variants:
            runs[label].append(sample(path, args.size, exercises))
            loads.append(os.getloadavg()[0])
    rows = [("launch → catalogue painted", lambda d: d["launch_paint"]),
            ("import app → catalogue painted", lambda d: d["import_paint"])]
    for exercise_id in exercises:
        for round_ in ("first", "again"):
            key = f"{exercise_id} {round_}"
            rows.append((f"open {key}: prompt painted", lambda d, k=key: d["opened"][k][1]))
    header = "".join(f"{label:>12}" for label, _ in variants)
    print(f"{'':64}{header}{'  after/before' if args.before else ''}")
    for title, get in rows:
        medians = [statistics.median(get(d) for d in runs[label]) for label, _ in variants]
        line = f"  {title:<62}" + "".join(f"{1000 * m:9.0f} ms" for m in medians)
        if args.before:
            line += f"   {medians[1] / medians[0]:6.2f}"
        print(line)
    print("CPU time of the process over the same spans (all its threads; less sensitive to "
          "the load than wall time), medians and minima:")
    cpu_rows = [("import app → catalogue painted", lambda d: d["import_paint_cpu"])]
    for exercise_id in exercises:
        for round_ in ("first", "again"):
            key = f"{exercise_id} {round_}"
            cpu_rows.append((f"open {key}", lambda d, k=key: d["opened"][k][2]))
    for title, get in cpu_rows:
        medians = [statistics.median(get(d) for d in runs[label]) for label, _ in variants]
        minima = [min(get(d) for d in runs[label]) for label, _ in variants]
        line = f"  {title:<62}" + "".join(f"{1000 * m:9.0f} ms" for m in medians)
        if args.before:
            line += f"   {medians[1] / medians[0]:6.2f}"
        line += "   min " + " / ".join(f"{1000 * m:.0f}" for m in minima)
        print(line)
    print("work (load-independent; style applications / widgets mounted, until idle):")
    for key in ["catalogue", *(f"{e} {r}" for e in exercises for r in ("first", "again"))]:
        cells = []
        for label, _ in variants:
            styled = statistics.median(d["work"][key]["styled"] for d in runs[label])
            mounted = statistics.median(d["work"][key]["mounted"] for d in runs[label])
            cells.append(f"{styled:6.0f} / {mounted:3.0f}")
        print(f"  {key:<62}" + "".join(f"{c:>14}" for c in cells))
    print(f"load average during the runs: median {statistics.median(loads):.2f}, "
          f"max {max(loads):.2f}; at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(PYCACHE, ignore_errors=True)
