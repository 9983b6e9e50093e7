"""Benchmark: wall time and work of the nastiest answers (previews, comparisons), printed.

Run: python benchmarks/bench_hostile_answers.py
The tests assert work bounds (answers.evaluate.Budget); seconds are only measured here. The
target is under 1 s per preview and a few seconds per graded answer on a quiet laptop.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from modl_tutor.answers.check import check_part  # noqa: E402
from modl_tutor.answers.pretty import preview  # noqa: E402
from modl_tutor.bank.models import Part  # noqa: E402

PART = Part(name="answer", type="expression", points=1.0, expected="1 - tanh(x)^2",
            variables=("x",))
NASTY = {
    "99-deep sqrt": "sqrt(" * 99 + "x" + ")" * 99,
    "sqrt(1/( x49, three times": "+".join(["sqrt(1/(" * 49 + "x" + "))" * 49] * 3),
    "60 sigmoid^3 terms": "+".join(["sigmoid(sigmoid(sigmoid(x)))^3"] * 60),
    "150 (x+1)^9999 factors": "*".join(["(x+1)^9999"] * 150),
    "(x + 10^200) - 10^200": "(x + 10^200) - 10^200",
    "tanh' + relu(x - 7)": "1 - tanh(x)^2 + relu(x - 7)",
}


def main() -> None:
    check_part(PART, "sech(x)^2")  # warm the imports (outside any budget)
    for name, text in NASTY.items():
        start = time.perf_counter()
        shown = preview(text)
        t_preview = time.perf_counter() - start
        start = time.perf_counter()
        outcome = check_part(PART, text)
        t_check = time.perf_counter() - start
        print(f"{name:28} preview {t_preview * 1000:8.1f} ms ({len(shown):5} chars)   "
              f"check {t_check * 1000:8.1f} ms  {outcome.status:9} work {outcome.work}")


if __name__ == "__main__":
    main()
