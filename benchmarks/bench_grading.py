"""Benchmark: full-submission grading through one warm CodeGrader vs a fresh interpreter per
code exercise, and one submission cold. A script, not a test:

    python benchmarks/bench_grading.py [--submissions 20] [--naive-samples 12] [--jobs N]

Every code exercise of the bank is graded in each of the submissions (reference solutions
copied into temporary workspaces). The naive baseline runs `python -c "import numpy, torch;
…"` once per code exercise, grading that one exercise; it is sampled (`--naive-samples` runs,
round-robin over the exercises) and reported per exercise, measured in the same run.
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

NAIVE = ("import numpy, torch, json, sys; "
         "from modl_tutor.grading.code_grade import grade_code; "
         "print(json.dumps(grade_code(json.loads(sys.argv[1]))['score']))")


def _bank():  # type: ignore[no-untyped-def]
    from modl_tutor.bank.loader import load_bank

    return load_bank(strict=False)


def _workspaces(bank, exercises, count: int, root: Path) -> list[Path]:  # type: ignore[no-untyped-def]
    made = []
    for number in range(count):
        workspace = root / f"student{number:02d}"
        for exercise in exercises:
            target = workspace / exercise.workspace_file
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(bank.solutions_root / f"{exercise.id}.py", target)
        made.append(workspace)
    return made


def _warm(bank, exercises, workspaces, jobs: int) -> tuple[float, float, int, bool]:  # type: ignore[no-untyped-def]
    from concurrent.futures import ThreadPoolExecutor

    from modl_tutor.grading.client import CodeGrader
    from modl_tutor.grading.core import grade_submission

    started = time.perf_counter()
    with CodeGrader(jobs=jobs) as grader:
        grader.start()
        ready = time.perf_counter()
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(lambda w: grade_submission(w, bank, grader, exercises),
                                    workspaces))
        finished = time.perf_counter()
    graded = sum(len(r.exercises) for r in results)
    all_full = all(e.full_marks for r in results for e in r.exercises)
    return ready - started, finished - ready, graded, all_full


def _cold(bank, exercises, workspace: Path, jobs: int) -> tuple[float, bool]:  # type: ignore[no-untyped-def]
    from modl_tutor.grading.client import CodeGrader
    from modl_tutor.grading.core import grade_submission

    started = time.perf_counter()
    with CodeGrader(jobs=jobs) as grader:
        result = grade_submission(workspace, bank, grader, exercises)
        elapsed = time.perf_counter() - started
    return elapsed, all(e.full_marks for e in result.exercises)


def _naive(exercises, workspace: Path, samples: int) -> list[float]:  # type: ignore[no-untyped-def]
    from modl_tutor.grading.client import code_request

    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    times = []
    for index in range(samples):
        exercise = exercises[index % len(exercises)]
        request = code_request(exercise, str(workspace / exercise.workspace_file))
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", NAIVE, json.dumps(request)], env=env,
                              capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - started)
        if done.returncode != 0 or float(done.stdout.strip() or -1) != exercise.points:
            print(f"  naive run of {exercise.id} did not earn full marks: "
                  f"{(done.stderr or done.stdout).strip()[-200:]}", file=sys.stderr)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=20)
    parser.add_argument("--naive-samples", type=int, default=12)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    bank = _bank()
    exercises = [e for e in bank if e.is_code and (bank.solutions_root / f"{e.id}.py").is_file()]
    from modl_tutor.grading.sandbox import sandbox_capabilities

    print(f"{len(exercises)} code exercises × {args.submissions} submissions, jobs={args.jobs}, "
          f"cores={os.cpu_count()}, sandbox={sandbox_capabilities()['mode']}")
    with tempfile.TemporaryDirectory(prefix="modl-bench-") as tmp:
        workspaces = _workspaces(bank, exercises, args.submissions, Path(tmp))
        cold, cold_ok = _cold(bank, exercises, workspaces[0], args.jobs)
        startup, warm, graded, warm_ok = _warm(bank, exercises, workspaces, args.jobs)
        naive = _naive(exercises, workspaces[0], args.naive_samples)
    per_exercise = (startup + warm) / graded
    naive_each = statistics.mean(naive)
    naive_total = naive_each * graded
    print(f"warm grader : {graded} exercise gradings in {startup + warm:.2f} s "
          f"(start {startup:.2f} s + grading {warm:.2f} s) = {1000 * per_exercise:.1f} ms "
          f"per exercise{'' if warm_ok else '  [NOT ALL FULL MARKS]'}")
    print(f"naive       : {1000 * naive_each:.0f} ms per exercise (mean of {len(naive)} fresh "
          f"interpreters, min {1000 * min(naive):.0f}, max {1000 * max(naive):.0f}) "
          f"→ {naive_total:.0f} s for the same {graded} gradings")
    print(f"speed-up    : {naive_total / (startup + warm):.1f}× (target ≥ 30×)")
    print(f"cold        : one submission ({len(exercises)} code exercises), grader start "
          f"included: {cold:.2f} s (target ≤ 4 s){'' if cold_ok else '  [NOT ALL FULL MARKS]'}")


if __name__ == "__main__":
    main()
