"""Dump (and compare) the verdict on every derivation route of the bank: canonical steps, the final
answer alone, each known broken route and mistake, and perturbations (a sign slip, a dropped or
doubled factor, an intermediate inlined or defined wrongly, factors 1 ± 1e-15 at the edge of the
engine's tolerance...). Status, score, flagged line, every line's message and the work spent.

    python benchmarks/derivation_verdicts.py [--before CHECKOUT] [--out FILE] [--ignore-work]

With --before, the same dump is made on that checkout (PYTHONPATH=CHECKOUT, in parallel) and
the two are compared route by route; exit status 1 when any route differs. Prints timings.
--ignore-work compares everything but the work spent (a change that spends less work on the
same verdicts), and prints both totals.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FACTORS = ("(1 + 1e-15)", "(1 + 2e-15)", "(1 + 5e-16)", "(1 - 1e-15)", "(1 + 1e-14)",
           "(1 + 1e-20)")


def routes(bank: object) -> list[tuple[str, object, str, list[str]]]:
    out = []
    for e in bank:  # type: ignore[attr-defined]
        if e.kind != "derivation":
            continue
        for part in e.parts:
            steps = list(part.steps)
            add = lambda label, s: out.append((e.id, part, label, s))  # noqa: E731
            add("canonical", steps)
            add("final-only", [part.expected])
            for i, r in enumerate(part.broken):
                add(f"broken{i}", list(r.steps))
            for i, m in enumerate(part.mistakes):
                add(f"mistake{i}", [m.expected])
                add(f"mistake-steps{i}", steps[:-1] + [m.expected])
            add("sign", steps[:-1] + [f"-({steps[-1]})"])
            add("factor2", steps[:1] + [f"2*({s})" for s in steps[1:]] if len(steps) > 1
                else [f"2*({steps[0]})"])
            add("mid-sign", [f"-({s})" if k == len(steps) // 2 else s
                             for k, s in enumerate(steps)])
            add("plus1", steps + [f"({steps[-1]}) + 1"])
            add("times1", steps + [f"({part.expected})*1"])
            add("labelled", [f"{part.labels[0]} = {s}" if part.labels else s for s in steps])
            add("chain", [" = ".join(steps)])
            add("repeated", steps + steps[-1:])
            add("comments", ["# start"] + steps[:1] + [""] + steps[1:])
            for name, d in part.intermediates:
                add(f"def-{name}", [f"{name} = {d}"] + steps)
                add(f"baddef-{name}", [f"{name} = 2*({d})"] + steps)
                add(f"dropinner-{name}",
                    steps[:-1] + [steps[-1].replace(name, f"(2*{name})", 1)])
                add(f"inline-{name}", [s.replace(name, f"({d})") for s in steps])
            for k, f in enumerate(FACTORS):
                add(f"edge{k}", steps[:-1] + [f"{f}*({steps[-1]})"])
            add("offset-26", steps[:-1] + [f"({steps[-1]}) + 1e-26"])
            add("offset-24", steps[:-1] + [f"({steps[-1]}) + 1e-24"])
            add("invalid", steps[:1] + ["(x + "])
            add("inequality", steps[:1] + [f"<= ({steps[0]})"])
    return out


def dump(path: str) -> None:
    from modl_tutor.answers.derivation import DerivationSpec, check_derivation
    from modl_tutor.bank.loader import load_bank

    out, started = [], time.perf_counter()
    for exercise_id, part, label, steps in routes(load_bank(strict=False)):
        r = check_derivation(DerivationSpec.of(part), steps, timeout=1e9)
        out.append({"id": exercise_id, "label": label, "steps": steps, "status": r.status,
                    "score": r.score, "first_broken": r.first_broken,
                    "final_correct": r.final_correct, "steps_valid": r.steps_valid,
                    "work": r.work, "message": r.message,
                    "lines": [(x.number, x.status, x.message, x.column) for x in r.lines]})
    seconds = time.perf_counter() - started
    Path(path).write_text(json.dumps({"seconds": seconds, "routes": out}, ensure_ascii=False))


def _run(checkout: Path | None, out: Path) -> subprocess.Popen:
    env = dict(os.environ)
    if checkout is not None:
        env["PYTHONPATH"] = str(checkout)
    return subprocess.Popen([sys.executable, __file__, "--child", str(out)], env=env,
                            cwd=tempfile.gettempdir())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--ignore-work", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        dump(args.child)
        return 0
    work = Path(tempfile.mkdtemp(prefix="modl-derivations-"))
    print(f"load average {Path('/proc/loadavg').read_text().strip()}")
    jobs = {"after": _run(None, work / "after.json")}
    if args.before is not None:
        jobs["before"] = _run(args.before.resolve(), work / "before.json")
    for job in jobs.values():
        job.wait()
    data = {side: json.loads((work / f"{side}.json").read_text()) for side in jobs}
    for side, d in data.items():
        print(f"{side}: {len(d['routes'])} routes in {d['seconds']:.1f} s (run side by side)")
    if args.out:
        args.out.write_text(json.dumps(data["after"]["routes"], ensure_ascii=False, indent=1))
    if "before" not in data:
        return 0
    before, after = data["before"]["routes"], data["after"]["routes"]
    if args.ignore_work:
        print(f"work spent on every route: before {sum(r.pop('work') for r in before)}, "
              f"after {sum(r.pop('work') for r in after)}")
    differ = [(x, y) for x, y in zip(before, after) if x != y] + \
        [(x, None) for x in before[len(after):]] + [(None, y) for y in after[len(before):]]
    for x, y in differ[:10]:
        print("DIFFERS:", json.dumps(x, ensure_ascii=False)[:300])
        print("    now:", json.dumps(y, ensure_ascii=False)[:300])
    statuses: dict[str, int] = {}
    for r in after:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    print(f"{len(after)} routes compared ({statuses}); {len(differ)} differ "
          f"(status, score, flagged line, every message"
          f"{'' if args.ignore_work else ', work'})")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT)) if "PYTHONPATH" not in os.environ else None
    sys.exit(main())
