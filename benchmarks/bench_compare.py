"""Benchmark driver: run one benchmark script alternately against an older checkout
(PYTHONPATH) and this one, in one run (A, B, A, B, ...), and print the median of every
"<label> <number> ms" line for each, with the ratio and the load average.

    python benchmarks/bench_compare.py --before ../old-checkout --times 3 \\
        benchmarks/bench_sandbox.py --rounds 5

The script itself is this checkout's; each variant imports `modl_tutor` (and starts its
student runner, see runner_root.py) from its own checkout.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

LINE = re.compile(r"^\s*(?P<label>[^\d].*?)[:\s]+(?P<value>\d+(?:\.\d+)?) ?ms")


def _run(script: str, args: list[str], pythonpath: str | None) -> dict[str, list[float]]:
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    else:
        env.pop("PYTHONPATH", None)
    out = subprocess.run([sys.executable, script, *args], env=env, capture_output=True,
                         text=True, check=False)
    if out.returncode:
        print(out.stdout + out.stderr)
        raise SystemExit(f"{script} failed ({'before' if pythonpath else 'after'})")
    found: dict[str, list[float]] = {}
    for line in out.stdout.splitlines():
        match = LINE.match(line)  # the first number of a line, in ms, and what precedes it
        if match:
            found.setdefault(match["label"].strip(), []).append(float(match["value"]))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", required=True, help="an older checkout (its root folder)")
    parser.add_argument("--times", type=int, default=3)
    parser.add_argument("script")
    parser.add_argument("args", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    here = str(Path(__file__).resolve().parent.parent)
    results: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
    loads = []
    for _ in range(options.times):
        for name, path in (("before", str(Path(options.before).resolve())), ("after", here)):
            loads.append(os.getloadavg()[0])
            for label, values in _run(options.script, options.args, path).items():
                results[name].setdefault(label, []).extend(values)
    print(f"{options.script}, {options.times} runs each, interleaved; load average "
          f"{min(loads):.2f}–{max(loads):.2f}; now: {Path('/proc/loadavg').read_text().strip()}")
    print(f"  {'':44} {'before':>10} {'after':>10}  after/before")
    for label in dict.fromkeys([*results["before"], *results["after"]]):
        if label not in results["after"]:
            print(f"  {label[:44]:44} {statistics.median(results['before'][label]):8.1f}ms "
                  f"{'-':>10}")
            continue
        after = statistics.median(results["after"][label])
        before_values = results["before"].get(label)
        if before_values:
            before = statistics.median(before_values)
            ratio = f"{after / before:6.2f}" if before else "     -"
            print(f"  {label[:44]:44} {before:8.1f}ms {after:8.1f}ms  {ratio}")
        else:
            print(f"  {label[:44]:44} {'-':>10} {after:8.1f}ms")


if __name__ == "__main__":
    main()
