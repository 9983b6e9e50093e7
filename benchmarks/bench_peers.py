"""Benchmark: modl against its peers, side by side in one interleaved run on the same 20
submissions (the nine canonical code exercises' reference solutions + the canonical math
answers each): `modl grade --jobs 2`, otter-grader's `otter run` (its non-Docker path) and a
pytest floor (one pytest process per submission, importing torch), two at a time; then one
submission alone for each. A script, not a test:

    python benchmarks/bench_peers.py [--submissions 20] [--single-rounds 3] [--skip-otter]
                                     [--before OLD_CHECKOUT]

modl keeps its reference store in the run's temp dir: each cold 20-submission pass starts with
an empty one (every student's references computed, torch imported once, as for a class graded
the first time), each warm pass finds the first one's filled (`--batch-rounds` of each, medians;
the peers' 20-submission passes, which take minutes, run once). `--before` adds the same runs
of an older checkout (PYTHONPATH=OLD_CHECKOUT, its own store), interleaved, for before/after
ratios.

The peers get their own venv (default ~/.cache/modl-bench-peers/venv, created on first use:
torch==2.13.0 first, then otter-grader==7.0.0, pytest, numpy from PyPI). The nine exercises'
checks are generated into a temp dir once as OK-format tests (one test file per exercise, one
doctest case each) and once as a pytest file; both call the bank's own checks in-process
(no sandbox) with the references computed by torch, so the peers do the same judging work
minus isolation. The peers grade the code only: modl also grades the math answers.
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
from typing import Any

from peers_breakdown import CANONICAL_CODE, CANONICAL_MATH, breakdown  # beside this script

REPO = Path(__file__).resolve().parent.parent
MAIN = "import sys; from modl_tutor.cli import main; sys.exit(main())"
BEFORE_MAIN = (f"import sys; sys.path.insert(0, {str(REPO / 'benchmarks')!r}); "
               "from runner_root import use_runner_of_imported_checkout as use; use(); "
               "from modl_tutor.cli import main; sys.exit(main())")
"""An older checkout on PYTHONPATH runs with its own student runner (started with -I)."""
REPORTS: list[Path] = []
"""modl's JSON reports, newest last (checked: every canonical code exercise passed)."""


def _passed(report: Path) -> str:
    """How many canonical code exercises the report gives full marks (a run that errored
    is not a timing)."""
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "no report"
    rows = [e for sub in data["submissions"] for e in sub["exercises"]
            if e["id"] in CANONICAL_CODE]
    return f"{sum(e['score'] == e['max_score'] > 0 for e in rows)}/{len(rows)} code passed"
PEER_PINS = ("otter-grader==7.0.0", "ipykernel", "pytest", "numpy")  # otter 7 runs a kernel

# The judging both peers share: the bank's checks for one exercise, run in-process, the
# reference computed by torch (the bank's kernels), compared as modl compares.
PEER_JUDGE = '''
"""Judge one exercise in-process (benchmark helper, generated)."""
import types
from pathlib import Path
from modl_tutor.grading import wire
from modl_tutor.grading.code_grade import build_checks
from modl_tutor.grading.toolkit.compare import compare_outputs

def load(source, name):
    module = types.ModuleType(name)
    exec(compile(source, name, "exec"), module.__dict__)
    return module

def _copy(value):
    if hasattr(value, "copy") and hasattr(value, "dtype"):
        return value.copy()
    if isinstance(value, (list, tuple)):
        return type(value)(_copy(v) for v in value)
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value

def grade(exercise_id, checks_path, function, module):
    failures = []
    for check in build_checks(Path(checks_path), exercise_id, ""):
        if check.run is not None:
            got = check.run(module)
        else:
            fn = getattr(module, check.function or function)
            got = fn(*_copy(check.args), **_copy(check.kwargs))
        got = wire.decode(wire.encode(got))
        expected = check.expected_value() if check.has_reference else None
        if check.compare is not None:
            verdict = check.compare(got, expected, check)
        elif check.has_reference:
            verdict = compare_outputs(got, expected, check)
        else:
            continue
        if not verdict.passed:
            failures.append(check.name)
    return failures
'''


def _venv(path: Path) -> Path:
    """The peers' venv (created once): torch pinned first so pip never fetches another."""
    python = path / "bin" / "python"
    marker = path / ".modl-bench-ready"
    if marker.is_file():
        return python
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    pip = [str(python), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "torch==2.13.0"], check=True)
    subprocess.run([*pip, *PEER_PINS], check=True)
    marker.write_text("ok\n")
    return python


def _submissions(bank: Any, root: Path, count: int) -> list[Path]:
    import tomlkit

    from modl_tutor.batch.verify import _accepted_text
    from modl_tutor.grading.core import for_student

    made = []
    for number in range(count):
        folder = root / f"student{number:02d}"
        folder.mkdir(parents=True)
        student = f"student{number:02d}"
        (folder / "modl.toml").write_text(f'[student]\nid = "{student}"\n', encoding="utf-8")
        for exercise_id in CANONICAL_CODE:
            exercise = bank.get(exercise_id)
            target = folder / exercise.workspace_file
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(bank.solutions_root / f"{exercise.id}.py", target)
        doc = tomlkit.document()
        for exercise_id in CANONICAL_MATH:
            exercise = for_student(bank.get(exercise_id), student)
            table = doc.setdefault(exercise.topic, tomlkit.table())
            if exercise.is_multipart:
                sub = tomlkit.table()
                for part in exercise.parts:
                    sub[part.name] = _accepted_text(exercise, part, student)
                table[exercise.slug] = sub
            else:
                table[exercise.slug] = _accepted_text(exercise, exercise.parts[0], student)
        (folder / "answers.toml").write_text(tomlkit.dumps(doc), encoding="utf-8")
        made.append(folder)
    return made


def _spec(bank: Any) -> list[tuple[str, str, str, str]]:
    """(exercise id, checks.py, function, python-safe name) of the nine code exercises."""
    rows = []
    for exercise_id in CANONICAL_CODE:
        exercise = bank.get(exercise_id)
        rows.append((exercise_id, str(Path(exercise.checks_path).absolute()),
                     exercise.code.function, "m_" + exercise_id.replace("/", "__")))
    return rows


def _otter_setup(bank: Any, work: Path, python: Path, subs: list[Path]) -> tuple[Path, list[Path]]:
    """OK-format tests + `otter generate` → autograder.zip; one .py script per submission."""
    spec = _spec(bank)
    source = work / "otter-src"
    (source / "tests").mkdir(parents=True)
    for exercise_id, checks, function, name in spec:
        case = (f">>> from peer_judge import grade\n"
                f">>> grade({exercise_id!r}, {checks!r}, {function!r}, {name})\n[]")
        test = {"name": name, "points": 1,
                "suites": [{"cases": [{"code": case, "hidden": False, "locked": False}],
                            "scored": True, "setup": "", "teardown": "", "type": "doctest"}]}
        (source / "tests" / f"{name}.py").write_text(f"OK_FORMAT = True\n\ntest = {test!r}\n",
                                                            encoding="utf-8")
    lib = work / "peer-lib"  # on PYTHONPATH: otter wants one .py file in a submission
    lib.mkdir()
    (lib / "peer_judge.py").write_text(PEER_JUDGE, encoding="utf-8")
    subprocess.run([str(python), "-m", "otter", "generate", "-o", str(work / "autograder.zip"),
                    "--no-requirements", "--no-environment"],
                   cwd=source, check=True, capture_output=True)
    scripts = []
    for folder in subs:  # otter grades one script: each file loaded as a module of its own
        lines = ["from peer_judge import load"]
        for exercise_id, _, _, name in spec:
            text = (folder / f"{exercise_id}.py").read_text(encoding="utf-8")
            lines.append(f"{name} = load({text!r}, {name!r})")
        script = work / "otter-subs" / f"{folder.name}.py"
        script.parent.mkdir(parents=True, exist_ok=True)
        script.write_text("\n".join(lines) + "\n", encoding="utf-8")
        scripts.append(script)
    return work / "autograder.zip", scripts


def _pytest_setup(bank: Any, work: Path) -> Path:
    spec = _spec(bank)
    folder = work / "pytest-floor"
    folder.mkdir()
    (folder / "peer_judge.py").write_text(PEER_JUDGE, encoding="utf-8")
    (folder / "test_floor.py").write_text(
        "import os, pytest, torch  # noqa: F401 - the floor pays for torch like any grader\n"
        "from pathlib import Path\nfrom peer_judge import grade, load\n"
        f"SPEC = {spec!r}\n\n"
        "@pytest.mark.parametrize('exercise_id,checks,function,name', SPEC)\n"
        "def test_exercise(exercise_id, checks, function, name):\n"
        "    source = (Path(os.environ['SUBMISSION']) / f'{exercise_id}.py').read_text()\n"
        "    assert grade(exercise_id, checks, function, load(source, name)) == []\n",
        encoding="utf-8")
    return folder


def _run_all(commands: list[tuple[list[str], dict[str, str], Path]], parallel: int) -> dict[str, float]:
    """Run commands `parallel` at a time; wall, user and system CPU, peak RSS, failures."""
    started = time.perf_counter()
    user = system = 0.0
    rss = 0
    failures = 0
    pending = list(commands)
    running: dict[int, subprocess.Popen[bytes]] = {}
    while pending or running:
        while pending and len(running) < parallel:
            argv, env, cwd = pending.pop(0)
            proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            running[proc.pid] = proc
        pid, status, usage = os.wait4(-1, 0)
        if pid in running:
            running.pop(pid).returncode = os.waitstatus_to_exitcode(status)
            user += usage.ru_utime
            system += usage.ru_stime
            rss = max(rss, usage.ru_maxrss)
            failures += os.waitstatus_to_exitcode(status) != 0
    return {"wall": time.perf_counter() - started, "user": user, "system": system,
            "rss_mb": rss / 1024, "failed": failures}


def _modl(subs: list[Path], jobs: int, work: Path, store: bool = True,
          before: Path | None = None, cache: str = "cache",
          ) -> list[tuple[list[str], dict[str, str], Path]]:
    report = work / f"modl-{len(subs)}-{time.monotonic_ns()}.json"
    REPORTS.append(report)
    argv = [sys.executable, "-c", MAIN if before is None else BEFORE_MAIN, "grade",
            *map(str, subs), "--jobs", str(jobs), "--no-cache", "--format", "json", "-o",
            str(report)]
    if os.environ.get("BENCH_WEAK_SANDBOX"):
        argv.append("--allow-weak-sandbox")
    env = dict(os.environ, MODL_CACHE_DIR=str(work / (f"{cache}-before" if before else cache)))
    if before is not None:  # an older checkout, imported first
        env["PYTHONPATH"] = str(before)
    if not store:  # the reference store off: every reference computed with torch
        env["MODL_REFERENCE_STORE"] = "off"
    return [(argv, env, work)]


def _otter(python: Path, autograder: Path, scripts: list[Path], work: Path) -> list[Any]:
    env = {**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{work / 'peer-lib'}"}
    out = work / "otter-out"
    for script in scripts:
        (out / script.stem).mkdir(parents=True, exist_ok=True)
    return [([str(python), "-m", "otter", "run", "-a", str(autograder), "-o",
              str(out / script.stem), "--no-logo", str(script)], env, work)
            for script in scripts]


def _otter_scores(out: Path) -> None:
    """Proof that otter graded: the scores of its last results per submission."""
    scores = []
    for path in sorted(out.glob("*/results.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        tests = data.get("tests", [])
        scores.append((sum(t.get("score", 0) for t in tests), sum(t.get("max_score", 0)
                                                                    for t in tests)))
    if scores:
        full = sum(1 for got, top in scores if top and got == top)
        print(f"  otter: {full}/{len(scores)} submissions at full marks "
              f"(first: {scores[0][0]:g}/{scores[0][1]:g})")


def _pytest(python: Path, floor: Path, subs: list[Path]) -> list[Any]:
    return [([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_floor.py"],
             {**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{floor}", "SUBMISSION": str(s)},
             floor) for s in subs]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=20)
    parser.add_argument("--single-rounds", type=int, default=3)
    parser.add_argument("--batch-rounds", type=int, default=3,
                        help="modl's 20-submission passes, cold and warm, each (medians); "
                             "the peers' once")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--venv", type=Path,
                        default=Path.home() / ".cache" / "modl-bench-peers" / "venv")
    parser.add_argument("--skip-otter", action="store_true")
    parser.add_argument("--keep", action="store_true", help="Keep the temp dir (printed).")
    parser.add_argument("--breakdown-only", action="store_true",
                        help="Only where modl's time goes (no peers, no venv needed).")
    parser.add_argument("--before", type=Path, default=None,
                        help="An older modl checkout to time interleaved (PYTHONPATH).")
    args = parser.parse_args()
    from modl_tutor.bank.loader import load_bank

    bank = load_bank(strict=False)
    python = args.venv / "bin" / "python" if args.breakdown_only else _venv(args.venv)
    work = Path(tempfile.mkdtemp(prefix="modl-peers-"))
    try:
        subs = _submissions(bank, work / "subs", args.submissions)
        if args.breakdown_only:
            breakdown(bank, subs, work, args.before)
            return 0
        floor = _pytest_setup(bank, work)
        tools: dict[str, Any] = {
            "modl": lambda s, cache="cache": _modl(s, args.jobs, work, cache=cache),
            "pytest": lambda s: _pytest(python, floor, s)}
        if not args.skip_otter:
            autograder, scripts = _otter_setup(bank, work, python, subs)
            by_folder = dict(zip(subs, scripts))
            tools["otter"] = lambda s: _otter(python, autograder, [by_folder[x] for x in s],
                                              work)
        results: dict[str, list[tuple[dict[str, float], float]]] = {}
        if args.before is not None:
            tools["before"] = lambda s, cache="cache": _modl(s, args.jobs, work,
                                                              before=args.before, cache=cache)
        tools["modl-nostore"] = lambda s: _modl(s, args.jobs, work, store=False)
        mine = [name for name in ("modl", "before") if name in tools]
        plan: list[tuple[str, list[Path], dict[str, str]]] = []
        for round_ in range(max(1, args.batch_rounds)):  # a fresh store for each cold pass
            plan += [(f"{name} (cold store)", subs, {"cache": f"cache{round_}"})
                     for name in mine]
            if round_ == 0:  # the peers' passes take minutes: once each
                plan += [(name, subs, {}) for name in tools
                         if name not in mine and name != "modl-nostore"]
            plan += [(f"{name} (warm store)", subs, {"cache": "cache0"}) for name in mine]
        for _ in range(args.single_rounds):
            plan += [(f"{name} (1 alone)", subs[:1], {}) for name in tools]
        print(f"{os.cpu_count()} cores; {len(subs)} submissions; load average "
              f"{os.getloadavg()[0]:.1f} at start")
        if args.keep:
            print(f"working in {work}", flush=True)
        for label, chosen, options in plan:  # interleaved: every tool once per pass
            tool = label.split()[0]
            load = os.getloadavg()[0]
            parallel = 1 if len(chosen) == 1 or tool.startswith("modl") or tool == "before" \
                else args.jobs
            figures = _run_all(tools[tool](chosen, **options), parallel)
            results.setdefault(label, []).append((figures, load))
            graded = f", {_passed(REPORTS[-1])}" if tool.startswith("modl") or \
                tool == "before" else ""
            print(f"  {label:<22} {figures['wall']:7.2f} s wall, {figures['user']:7.1f} s user "
                  f"{figures['system']:6.1f} s sys CPU, peak RSS {figures['rss_mb']:5.0f} MB, "
                  f"{figures['failed']:.0f} failed{graded}  (load {load:.1f})", flush=True)
        _otter_scores(work / "otter-out")
        print("\nratios (peer wall / modl wall, medians):")
        median = {k: statistics.median(f["wall"] for f, _ in v) for k, v in results.items()}
        cpu = {k: statistics.median(f["user"] + f["system"] for f, _ in v)
               for k, v in results.items()}
        loads = [load for v in results.values() for _, load in v]
        print(f"  (load average {min(loads):.1f}-{max(loads):.1f} while measuring; on a loaded "
              "machine CPU seconds compare better than wall)")
        if not args.single_rounds:
            return 0
        print(f"  1 submission, reference store on vs off: modl "
              f"{median['modl (1 alone)']:.2f} s vs {median['modl-nostore (1 alone)']:.2f} s")
        for peer in [t for t in tools if not t.startswith("modl")]:
            for store in ("cold", "warm"):
                mine = f"modl ({store} store)"
                theirs = f"{peer} ({store} store)" if peer == "before" else peer
                print(f"  {len(subs)} submissions: {theirs} / {mine} = "
                      f"{median[theirs] / median[mine]:5.2f}× wall, "
                      f"{cpu[theirs] / cpu[mine]:5.2f}× CPU  (modl {median[mine]:.2f} s, "
                      f"median of {len(results[mine])})")
            single = median[f"{peer} (1 alone)"] / median["modl (1 alone)"]
            print(f"  1 submission:  modl / {peer} = {1 / single:5.2f}× wall, "
                  f"{cpu['modl (1 alone)'] / cpu[f'{peer} (1 alone)']:5.2f}× CPU "
                  f"(modl {median['modl (1 alone)']:.2f} s, {peer} "
                  f"{median[f'{peer} (1 alone)']:.2f} s)")
        breakdown(bank, subs, work, args.before)
        print(f"load average at end {os.getloadavg()[0]:.1f}")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
