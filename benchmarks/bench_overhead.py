"""Benchmark: where one code exercise's grading time goes, broken down, in this process acting
as the judge (as the judge server's worker does): build the checks, fetch the references (store
vs torch), the sandboxed run (runner fork, confinement, the child, the pipe), judging, and the
fork of a torch-loaded worker. The nine canonical exercises, reference solutions.

    python benchmarks/bench_overhead.py [--rounds 5]
    MODL_SANDBOX=limits python benchmarks/bench_overhead.py   # no namespaces: confinement's cost

A script, not a test: it prints medians and the load average, asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

CANONICAL = ("losses/softmax", "losses/cross_entropy", "losses/bce_with_logits",
             "derivatives/numerical_gradient", "backprop/logistic_regression_step",
             "backprop/mlp2_backward", "precision/round_to_bfloat16", "precision/fixed_point",
             "optimization/adam_step")
TRIVIAL = "def {name}(*args, **kwargs):\n    return 0.0\n"


def _ms(samples: list[float]) -> str:
    return f"{1000 * statistics.median(samples):7.1f} ms"


def _fork_cost(rounds: int) -> float:
    """fork + _exit + waitpid of this (torch-loaded) process, as the judge forks a worker."""
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("MODL_CACHE_DIR", tempfile.mkdtemp(prefix="modl-overhead-"))
    import torch  # noqa: F401 - the judge holds torch, as the judge server does

    from modl_tutor.bank.loader import load_bank
    from modl_tutor.grading import code_grade
    from modl_tutor.grading.client import StudentRunner, code_request
    from modl_tutor.grading.code_grade import build_checks, drivers_source, sandboxed
    from modl_tutor.grading.feedback import judge
    from modl_tutor.grading.references import ReferenceStore, resolve

    bank = load_bank(strict=False)
    root = Path(tempfile.mkdtemp(prefix="modl-overhead-ws-"))
    stages: dict[str, list[float]] = {k: [] for k in (
        "build checks", "references: torch", "references: store", "sandboxed run (solution)",
        "sandboxed run (trivial fn)", "judge every check", "whole grade_code")}
    with StudentRunner() as runner:
        assert runner.control is not None
        code_grade.CONTROL_FD = runner.control.fileno()
        mode = runner.capabilities.get("mode", "?")
        for exercise_id in CANONICAL * (args.rounds + 1):
            warm = len(stages["whole grade_code"]) >= len(CANONICAL)
            exercise = bank.get(exercise_id)
            target = root / exercise.workspace_file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text((bank.solutions_root / f"{exercise.id}.py").read_text())
            request: dict[str, Any] = code_request(exercise, str(target))
            path = Path(request["checks_path"])
            times: dict[str, float] = {}
            started = time.perf_counter()
            checks = build_checks(path, exercise.id, "")
            times["build checks"] = time.perf_counter() - started
            started = time.perf_counter()
            resolve(checks, None)
            times["references: torch"] = time.perf_counter() - started
            store = ReferenceStore.for_exercise(path, exercise.id, "")
            resolve(checks, store)  # fill the store
            started = time.perf_counter()
            stored = resolve(checks, ReferenceStore.for_exercise(path, exercise.id, ""))
            times["references: store"] = time.perf_counter() - started
            job = {**request, "drivers": drivers_source(path)}
            indices = list(range(len(checks)))
            started = time.perf_counter()
            run = sandboxed(job, checks, indices)
            times["sandboxed run (solution)"] = time.perf_counter() - started
            trivial = {**job, "source": TRIVIAL.format(name=request["function"])}
            started = time.perf_counter()
            sandboxed(trivial, checks, indices)
            times["sandboxed run (trivial fn)"] = time.perf_counter() - started
            started = time.perf_counter()
            for index, check in enumerate(checks):
                judge(index, check, run, 10.0, *((stored[index],) if index in stored else ()))
            times["judge every check"] = time.perf_counter() - started
            started = time.perf_counter()
            code_grade.grade_code(request)
            times["whole grade_code"] = time.perf_counter() - started
            if warm:
                for key, value in times.items():
                    stages[key].append(value)
            else:
                stages["whole grade_code"].append(times["whole grade_code"])
        code_grade.CONTROL_FD = None
    stages["whole grade_code"] = stages["whole grade_code"][len(CANONICAL):]
    print(f"sandbox mode: {mode}; load average {os.getloadavg()[0]:.2f}; "
          f"{args.rounds} rounds × {len(CANONICAL)} exercises (medians per exercise)")
    for key, samples in stages.items():
        print(f"  {key:<28} {_ms(samples)}")
    print(f"  {'fork+exit of the judge':<28} {1000 * _fork_cost(20):7.1f} ms")
    print("  (grade_code runs the visible and the hidden checks in two children: about twice "
          "the sandboxed run)")


if __name__ == "__main__":
    main()
