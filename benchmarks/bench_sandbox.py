"""Benchmark: the per-exercise cost of sandboxed code grading with one warm grader — the nine
canonical code exercises, graded one at a time (jobs=1) so the figure is the latency of one
exercise, with the CPU time of the grader's processes (user and system) per exercise.

    python benchmarks/bench_sandbox.py [--rounds 10]

Works against any checkout whose grader has `CodeGrader` and `code_request(exercise, path,
seed)`: `python benchmarks/bench_compare.py --before OLD_CHECKOUT benchmarks/bench_sandbox.py`
runs it alternately against an older checkout (PYTHONPATH; its student runner too) and this one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

CANONICAL = ("losses/softmax", "losses/cross_entropy", "losses/bce_with_logits",
             "derivatives/numerical_gradient", "backprop/logistic_regression_step",
             "backprop/mlp2_backward", "precision/round_to_bfloat16", "precision/fixed_point",
             "optimization/adam_step")


def _children_cpu() -> tuple[float, float]:
    """(user, system) CPU seconds of every process below this one, read from /proc."""
    me, user, system = os.getpid(), 0.0, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    stats: dict[int, list[bytes]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_bytes().rsplit(b")", 1)[1].split()
            except (OSError, IndexError):
                continue
            parents[int(entry.name)] = int(fields[1])
            stats[int(entry.name)] = fields
    for pid, fields in stats.items():
        ancestor = parents.get(pid)
        while ancestor not in (None, 0, 1, me):
            ancestor = parents.get(ancestor)
        if ancestor == me:  # utime, stime, cutime, cstime (reaped children included)
            user += (int(fields[11]) + int(fields[13])) / tick
            system += (int(fields[12]) + int(fields[14])) / tick
    return user, system


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    from runner_root import use_runner_of_imported_checkout  # beside this script

    checkout = use_runner_of_imported_checkout()
    from modl_tutor.bank.loader import load_bank
    from modl_tutor.grading.client import CodeGrader, code_request

    bank = load_bank(strict=False)
    exercises = [bank.get(i) for i in CANONICAL]
    root = Path(tempfile.mkdtemp(prefix="modl-bench-")) / "ws"
    for exercise in exercises:
        target = root / exercise.workspace_file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(bank.solutions_root / f"{exercise.id}.py", target)
    times: dict[str, list[float]] = {e.id: [] for e in exercises}
    with CodeGrader(jobs=1) as grader:
        grader.start()
        for exercise in exercises:  # warm: first sight of each exercise's checks
            grader.grade(code_request(exercise, str(root / exercise.workspace_file), "bench"))
        before = _children_cpu()
        for _ in range(args.rounds):
            for exercise in exercises:
                request = code_request(exercise, str(root / exercise.workspace_file), "bench")
                started = time.perf_counter()
                result = grader.grade(request)
                times[exercise.id].append(time.perf_counter() - started)
                assert result["score"] == result["max_score"], (exercise.id, result)
        after = _children_cpu()
        mode = grader.capabilities.get("mode")
    count = args.rounds * len(exercises)
    every = [t for ts in times.values() for t in ts]
    print(f"{checkout}: sandbox mode {mode}; load average {os.getloadavg()[0]:.2f}; "
          f"{count} gradings")
    for exercise_id, samples in times.items():
        print(f"  {exercise_id:36s} median {1000 * statistics.median(samples):6.1f} ms")
    print(f"per exercise: median {1000 * statistics.median(every):.1f} ms, "
          f"mean {1000 * statistics.mean(every):.1f} ms")
    print(f"grader CPU per exercise: user {1000 * (after[0] - before[0]) / count:.1f} ms, "
          f"system {1000 * (after[1] - before[1]) / count:.1f} ms")
    print(f"/proc/loadavg: {Path('/proc/loadavg').read_text().strip()}")
    shutil.rmtree(root.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
