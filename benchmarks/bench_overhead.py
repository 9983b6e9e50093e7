"""Benchmark: where one code exercise's grading time goes, broken down, in this process acting
as the judge (as the judge server's worker does): build the checks, fetch the references (store
vs torch), the sandboxed run (hand-off to the runner, the job through the pipe, the confined
child, the answer), judging, and a fork of the judge per job where the checkout still forks one
(its workers are forked once since judge_workers.py). The nine canonical
exercises, reference solutions. Where the runner reports its steps (slots forked ahead of the
jobs), the sandboxed run is broken down further, with the runner's CPU time (user, system).

    python benchmarks/bench_overhead.py [--rounds 5]
    MODL_SANDBOX=limits python benchmarks/bench_overhead.py   # no namespaces: confinement's cost
    python benchmarks/bench_compare.py --before OLD_CHECKOUT benchmarks/bench_overhead.py

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
    """fork + _exit + waitpid of this process, as an older judge forked a worker per job."""
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
    from runner_root import (  # beside this script
        tree_cpu,
        use_runner_of_imported_checkout,
    )

    checkout = use_runner_of_imported_checkout()
    from modl_tutor.bank.loader import load_bank
    from modl_tutor.grading import code_grade
    from modl_tutor.grading.client import StudentRunner, code_request
    from modl_tutor.grading.code_grade import build_checks, drivers_source
    from modl_tutor.grading.feedback import judge
    from modl_tutor.grading.references import ReferenceStore, resolve

    bank = load_bank(strict=False)
    root = Path(tempfile.mkdtemp(prefix="modl-overhead-ws-"))
    stages: dict[str, list[float]] = {k: [] for k in (
        "build checks", "references: torch", "references: store", "sandboxed run (solution)",
        "sandboxed run (trivial fn)", "an exercise's runs (trivial fn)", "judge every check",
        "whole grade_code")}
    timings: dict[str, list[float]] = {}
    runs = [0]
    counting = [False]
    original = code_grade.sandboxed
    original_phases = getattr(code_grade, "sandboxed_phases", None)

    def sandboxed(*args: Any) -> Any:  # every sandboxed run, grade_code's included
        runs[0] += counting[0]
        return original(*args)

    def sandboxed_phases(*args: Any) -> Any:  # visible and hidden checks: one child
        runs[0] += counting[0]
        return original_phases(*args)

    def exercise_runs(job: dict[str, Any], checks: list[Any]) -> None:
        """What grade_code sandboxes for an exercise: one child in two phases where the
        checkout has them, else a child for the visible checks and one for the hidden."""
        visible = [i for i, c in enumerate(checks) if not c.hidden]
        hidden = [i for i, c in enumerate(checks) if c.hidden]
        if visible and hidden and original_phases is not None:
            sandboxed_phases(job, checks, visible, hidden)
        else:
            for indices in (visible, hidden):
                if indices:
                    sandboxed(job, checks, indices)

    code_grade.sandboxed = sandboxed
    if original_phases is not None:
        code_grade.sandboxed_phases = sandboxed_phases
    with StudentRunner() as runner:
        assert runner.control is not None and runner.proc is not None
        code_grade.CONTROL_FD = runner.control.fileno()
        mode = runner.capabilities.get("mode", "?")
        cpu_before = (0.0, 0.0)
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
            if warm and not counting[0]:
                runner.sync()
                cpu_before = tree_cpu(runner.proc.pid)
                counting[0] = True
            started = time.perf_counter()
            empty = sandboxed(trivial, checks, indices)
            times["sandboxed run (trivial fn)"] = time.perf_counter() - started
            started = time.perf_counter()
            exercise_runs(trivial, checks)
            times["an exercise's runs (trivial fn)"] = time.perf_counter() - started
            if warm:
                timing = dict(getattr(empty, "timing", {}) or {})
                timing["wall"] = 1000 * times["sandboxed run (trivial fn)"]
                for key, value in timing.items():
                    timings.setdefault(key, []).append(value / 1000)
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
        runner.sync()
        cpu_after = tree_cpu(runner.proc.pid)
        code_grade.CONTROL_FD = None
        code_grade.sandboxed = original
        if original_phases is not None:
            code_grade.sandboxed_phases = original_phases
    stages["whole grade_code"] = stages["whole grade_code"][len(CANONICAL):]
    print(f"{checkout}: sandbox mode {mode}; load average {os.getloadavg()[0]:.2f}; "
          f"{args.rounds} rounds × {len(CANONICAL)} exercises (medians per exercise)")
    for key, samples in stages.items():
        print(f"  {key:<28} {_ms(samples)}")
    import importlib.util

    if importlib.util.find_spec("modl_tutor.grading.judge_workers") is not None:
        fork = 0.0  # the judge's workers are forked once per grader, not per job
        print(f"  {'fork of a judge worker':<28}     0.0 ms  (none per job: forked once)")
    else:
        fork = _fork_cost(20)
        print(f"  {'fork+exit of the judge':<28} {1000 * fork:7.1f} ms")
    whole = statistics.median(stages["whole grade_code"]) + fork
    overhead = (statistics.median(stages["an exercise's runs (trivial fn)"]) + fork
                + statistics.median(stages["judge every check"]))
    print(f"  {'per exercise, all in':<28} {1000 * whole:7.1f} ms  (grade_code + any fork)")
    print(f"  {'per exercise, overhead':<28} {1000 * overhead:7.1f} ms  (any fork + an exercise's "
          "sandboxed runs of a trivial function, visible and hidden checks, + judging)")
    if "prepare" in timings:
        med = {key: statistics.median(values) for key, values in timings.items()}
        steps = {"job read by the supervisor": med.get("read", 0.0),
                 "job handed to the child": med.get("deliver", 0.0),
                 "child ready (limits, file, inputs)": med.get("ready", 0.0) - med.get(
                     "deliver", 0.0),
                 "child done (import, calls)": med.get("done", 0.0) - med.get("ready", 0.0)}
        steps["hand-off, pipes and the answer"] = (med["wall"] - med.get("read", 0.0)
                                                   - med.get("done", 0.0))
        print("  one sandboxed run (trivial function), as the supervisor saw it:")
        for key, label in (("fork", "before the job: child forked"),
                           ("prepare", "before the job: child confined")):
            if key in timings:
                print(f"    {label:<38} {_ms(timings[key])}  (ahead of the job: off the path)")
        for label, seconds in steps.items():
            print(f"    {label:<38} {1000 * seconds:7.1f} ms")
    if runs[0]:
        user, system = (1000 * (b - a) / runs[0] for a, b in zip(cpu_before, cpu_after))
        print(f"  runner CPU per child, user: {user:.1f} ms  (a child per sandboxed run; "
              "two phases: one per exercise)")
        print(f"  runner CPU per child, system: {system:.1f} ms")
    print(f"  /proc/loadavg: {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()
