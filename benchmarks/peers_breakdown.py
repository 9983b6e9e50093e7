"""Where one modl submission's time goes (the end of bench_peers.py's report): the student
runner's start, `import torch`, both servers' start, an exercise graded with an empty and with
a warm reference store (and whether the judge imported torch), math answers in-process, and
`modl check` in a fresh interpreter. Run through bench_peers.py (`--breakdown-only`)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

CANONICAL_CODE = ("losses/softmax", "losses/cross_entropy", "losses/bce_with_logits",
                  "derivatives/numerical_gradient", "backprop/logistic_regression_step",
                  "backprop/mlp2_backward", "precision/round_to_bfloat16",
                  "precision/fixed_point", "optimization/adam_step")
CANONICAL_MATH = ("derivatives/sigmoid_prime", "derivatives/tanh_prime",
                  "derivatives/power_rule_slope", "losses/bce_derivative",
                  "losses/softmax_example", "backprop/logistic_worked_example",
                  "precision/fp16_max", "precision/bf16_epsilon")


MAIN = "import sys; from modl_tutor.cli import main; sys.exit(main())"
HERE = str(Path(__file__).resolve().parent)
BEFORE_MAIN = (f"import sys; sys.path.insert(0, {HERE!r}); "
               "from runner_root import use_runner_of_imported_checkout as use; use(); " + MAIN)


def _check_command(subs: list[Path], env: dict[str, str], main: str = MAIN) -> float:
    """Seconds of `modl check losses/softmax` in a fresh interpreter (it must pass)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", main, "check", "losses/softmax", "-w",
                           str(subs[0])], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          check=False, env=env, cwd=subs[0].parent)  # not this checkout
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"modl check failed ({env.get('PYTHONPATH', 'this checkout')}):\n"
                         f"{done.stdout.decode(errors='replace')[-800:]}")
    return elapsed


def breakdown(bank: Any, subs: list[Path], work: Path, before: Path | None = None) -> None:
    """Where one modl submission's time goes, measured in this process (its own store)."""
    from modl_tutor.grading.client import CodeGrader, StudentRunner, code_request

    os.environ["MODL_CACHE_DIR"] = str(work / "cache-breakdown")
    load = os.getloadavg()[0]
    started = time.perf_counter()
    with StudentRunner():
        runner_ready = time.perf_counter() - started
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import torch"], check=True)
    torch_import = time.perf_counter() - started
    rows: dict[str, list[tuple[str, float, float]]] = {}
    torch_loaded = {}
    for store in ("cold", "warm"):
        started = time.perf_counter()
        with CodeGrader(jobs=2) as grader:
            grader.start()
            ready = time.perf_counter() - started
            durations: list[tuple[str, float, float]] = []
            for exercise_id in CANONICAL_CODE:
                exercise = bank.get(exercise_id)
                path = subs[0] / exercise.workspace_file
                first = time.perf_counter()
                grader.grade(code_request(exercise, str(path), "bench"))
                cold = time.perf_counter() - first
                first = time.perf_counter()
                grader.grade(code_request(exercise, str(path), "bench"))
                durations.append((exercise_id, cold, time.perf_counter() - first))
            synced = grader.sync()
            torch_loaded[store] = bool(synced.get("torch") or synced.get("workers_torch"))
        rows[store] = durations
        rows[store + " ready"] = [("", ready, 0.0)]
    from modl_tutor.grading.core import grade_math
    from modl_tutor.workspace.workspace import Workspace

    workspace = Workspace(subs[0])
    started = time.perf_counter()
    for exercise_id in CANONICAL_MATH:
        grade_math(bank.get(exercise_id), workspace)
    math = time.perf_counter() - started
    started = time.perf_counter()
    for exercise_id in CANONICAL_MATH:
        grade_math(bank.get(exercise_id), workspace)
    math_warm = time.perf_counter() - started
    env = dict(os.environ)
    first_check = _check_command(subs, env)  # this student's references: computed, stored
    old_env = dict(env, PYTHONPATH=str(before), MODL_CACHE_DIR=str(work / "cache-before-check"))
    if before is not None:
        _check_command(subs, old_env, BEFORE_MAIN)  # the older checkout's first run too
    check, old = [], []
    for _ in range(5):  # interleaved: now, before, now, before...
        check.append(_check_command(subs, env))
        if before is not None:
            old.append(_check_command(subs, old_env, BEFORE_MAIN))
    print(f"\nwhere modl's time goes (one submission, load {load:.1f}):")
    print(f"  `modl check losses/softmax` (cold process): first {first_check:5.2f} s (empty "
          f"store: torch), then {statistics.median(check):5.2f} s median of 5 (warm store)")
    if old:
        print(f"  `modl check losses/softmax` before ({before}): {statistics.median(old):5.2f} s "
              f"median of 5, interleaved: now / before = "
              f"{statistics.median(check) / statistics.median(old):4.2f}×")
    print(f"  `python -c 'import torch'` alone        {torch_import:6.2f} s")
    print(f"  student runner alone ready {runner_ready:.2f} s; both servers ready (started "
          f"together, no torch) {rows['cold ready'][0][1]:.2f} s / "
          f"{rows['warm ready'][0][1]:.2f} s")
    for store in ("cold", "warm"):
        durations = rows[store]
        print(f"  {store} store: first sight of an exercise (checks built, references "
              f"{'computed' if store == 'cold' else 'loaded'}) "
              f"{1000 * statistics.mean(d[1] for d in durations):6.0f} ms mean "
              f"(first exercise {1000 * durations[0][1]:.0f} ms), again "
              f"{1000 * statistics.mean(d[2] for d in durations):4.0f} ms mean; judge "
              f"imported torch: {torch_loaded[store]}")
    print(f"  math answers, in-process: first (with imports) {1000 * math:6.0f} ms, "
          f"again {1000 * math_warm:6.0f} ms")
