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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    from runner_root import (  # beside this script
        tree_cpu,
        use_runner_of_imported_checkout,
    )

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
        runner = getattr(getattr(grader, "_runner", None), "proc", None)
        runner_pid = runner.pid if runner is not None else None

        def runner_cpu() -> tuple[float, float]:
            return tree_cpu(runner_pid) if runner_pid is not None else (0.0, 0.0)

        before = tree_cpu(os.getpid(), include_top=False)  # the client's children
        runner_before = runner_cpu()
        for _ in range(args.rounds):
            for exercise in exercises:
                request = code_request(exercise, str(root / exercise.workspace_file), "bench")
                started = time.perf_counter()
                result = grader.grade(request)
                times[exercise.id].append(time.perf_counter() - started)
                assert result["score"] == result["max_score"], (exercise.id, result)
        grader.sync()  # every job's processes reaped: their CPU time is counted
        after = tree_cpu(os.getpid(), include_top=False)
        runner_after = runner_cpu()
        mode = grader.capabilities.get("mode")
    count = args.rounds * len(exercises)
    every = [t for ts in times.values() for t in ts]
    print(f"{checkout}: sandbox mode {mode}; load average {os.getloadavg()[0]:.2f}; "
          f"{count} gradings")
    for exercise_id, samples in times.items():
        print(f"  {exercise_id:36s} median {1000 * statistics.median(samples):6.1f} ms")
    print(f"per exercise: median {1000 * statistics.median(every):.1f} ms")
    print(f"per exercise: mean {1000 * statistics.mean(every):.1f} ms")
    user, system = ((b - a) / count for a, b in zip(before, after))
    print(f"grader CPU per exercise, user: {1000 * user:.1f} ms")
    print(f"grader CPU per exercise, system: {1000 * system:.1f} ms")
    if runner_pid is not None:
        ru, rs = ((b - a) / count for a, b in zip(runner_before, runner_after))
        print(f"  of which the student runner, user: {1000 * ru:.1f} ms")
        print(f"  of which the student runner, system: {1000 * rs:.1f} ms")
        print(f"  of which the judge and client, user: {1000 * (user - ru):.1f} ms")
        print(f"  of which the judge and client, system: {1000 * (system - rs):.1f} ms")
    print(f"/proc/loadavg: {Path('/proc/loadavg').read_text().strip()}")
    shutil.rmtree(root.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
