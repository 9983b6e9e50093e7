"""Benchmark: in-process latency of `check_part` over right and wrong answers (prints p50/p95/p99/max).

Run: python benchmarks/bench_answers.py [--repeat N] [--no-bank] [--before CHECKOUT]
With the bank, every derivation exercise's canonical steps and known broken routes are timed
too (each, and one pass over all of them), and so is grading a whole answers.toml (the bank's
canonical answers, with and without the derivations; target: all of it <= 50 ms).
Every timed call starts with a cold parse cache for the student's text (as for a fresh answer);
the parsed `expected` answers stay cached, as they do in a running app or grader.
With --before, each repeat runs once in a fresh interpreter on that checkout (PYTHONPATH) and
once on this one, interleaved, and the medians are compared.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if "PYTHONPATH" not in os.environ:  # a --before child runs on the checkout it was given
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from modl_tutor.bank.models import Mistake, Part, Tolerance  # noqa: E402

TARGET_P50_MS, TARGET_P99_MS = 50.0, 300.0


def expr(expected: str, variables: tuple[str, ...], **kw: object) -> Part:
    return Part(name="answer", type="expression", points=1.0, expected=expected,
                variables=variables, **kw)  # type: ignore[arg-type]


def number(expected: str, **tol: object) -> Part:
    return Part(name="answer", type="number", points=1.0, expected=expected,
                tolerance=Tolerance(**tol))  # type: ignore[arg-type]


SIG = expr("sigmoid(x)*(1-sigmoid(x))", ("x",),
           mistakes=(Mistake("sigmoid(x)", "That is σ itself."),
                     Mistake("sigmoid(x)*(1+sigmoid(x))", "Check the sign inside.")))
TANH = expr("1 - tanh(x)^2", ("x",))
BCE = expr("-(y/a) + (1-y)/(1-a)", ("a", "y"))
SOFTMAX = Part(name="answer", type="vector", points=1.0,
               expected="[0.842033357, 0.0419223777, 0.00208718799, 0.113956848]",
               tolerance=Tolerance(sig_figs=3))
CHOICE = Part(name="answer", type="choice", points=1.0,
              options=("ReLU", "sigmoid", "tanh", "GELU"), correct=(0, 3), multiple=True,
              shuffle=False)

REPRESENTATIVE: list[tuple[Part, str, str]] = [
    (SIG, "σ(x)(1−σ(x))", "sigmoid(x)"),
    (SIG, "exp(-x)/(1+exp(-x))^2", "-sigmoid(x)*(1-sigmoid(x))"),
    (SIG, "e^(-x)/(1+e^(-x))^2", "2*sigmoid(x)*(1-sigmoid(x))"),
    (SIG, "sigmoid(x) - sigmoid(x)^2", "sigmoid(x)*(1+sigmoid(x))"),
    (SIG, "1/(1+e^-x) * (1 - 1/(1+e^-x))", "e^(-x)/(1+e^(-x))"),
    (TANH, "sech(x)^2", "1 - tanh(x)"),
    (TANH, "4/(e^x+e^-x)^2", "sech(x)"),
    (TANH, "1/cosh(x)^2", "1 + tanh(x)^2"),
    (BCE, "(a-y)/(a*(1-a))", "(y-a)/(a*(1-a))"),
    (BCE, "(1-y)/(1-a) - y/a", "1/(a*(1-a))"),
    (expr("log(1+e^x)", ("x",)), "x + log(1+e^-x)", "log(1+e^-x)"),
    (expr("sigmoid(x)", ("x",)), "1/(1+e^-x)", "1/(1+e^x)"),
    (expr("relu(x)", ("x",)), "(x + abs(x))/2", "abs(x)"),
    (expr("w - alpha*(dw + lamda/m*w)", ("w", "alpha", "dw", "lamda", "m")),
     "w - alpha*dw - alpha*lamda*w/m", "w - alpha*dw - lamda/m*w"),
    (expr("(sigmoid(z) - y)*sigmoid(z)*(1 - sigmoid(z))", ("z", "y")),
     "(σ(z) - y)σ(z)(1 - σ(z))", "(σ(z) - y)σ(z)"),
    (expr("2*x*exp(x^2)", ("x",)), "2x e^(x^2)", "exp(x^2)"),
    (expr("x^3/3 + x", ("x",)), "(x^3 + 3x)/3", "x^3/3 + x + 1"),
    (number("2^-7"), "2^-7", "0.0078"),
    (number("2^-7"), "0.0078125", "2^-8"),
    (number("65504"), "65504", "6.55e4"),
    (number("65504"), "(2 - 2^-10) * 2^15", "65505"),
    (number("10"), "10", "-10"),
    (number("sigmoid(5) - 1", rel=1e-3), "-0.00669", "-0.00693"),
    (number("0.5 - 0.01*5*(sigmoid(5) - 1)", rel=1e-3), "0.50033", "0.503475"),
    (number("sigmoid(5)", sig_figs=3), "0.993", "0.99"),
    (SOFTMAX, "[0.842, 0.0419, 0.00209, 0.114]", "[0.858, 0.0427, 0.00213, 0.116]"),
    (SOFTMAX, "[0.84203, 0.041922, 0.0020872, 0.11396]", "[0.114, 0.842, 0.0419, 0.00209]"),
    (CHOICE, "a, d", "a, b"),
    (CHOICE, "d a", "c"),
    (expr("x", ("x",)), "log(1+e^x) - log(1+e^-x)", "log(1+e^x)"),
]


def _perturb(part: Part) -> str:
    from modl_tutor.answers.parser import parse_math
    from modl_tutor.answers.pretty import to_text

    if part.type == "choice":
        from modl_tutor.answers.choices import display_order, letter

        wrong = next(i for i in range(len(part.options)) if i not in part.correct)
        return letter(display_order(part, "", "").index(wrong))
    if part.type == "vector":
        items = parse_math(part.expected, variables=part.variables)
        flat = [to_text(i) for i in items] if not isinstance(items[0], tuple) else None
        if flat is None:
            return part.expected
        flat[0] = f"({flat[0]})*1.5 + 0.7"
        return "[" + ", ".join(flat) + "]"
    if part.type == "number":
        return f"({part.expected})*1.5 + 0.7"
    return f"2*({part.expected}) + 1"


def bank_pairs() -> list[tuple[Part, str, str]]:
    from modl_tutor.answers.choices import display_order, letter
    from modl_tutor.bank.loader import load_bank
    from modl_tutor.bank.variants import apply_variant

    try:
        bank = load_bank(strict=False)
    except Exception as err:  # no bank installed: representative answers only
        print(f"(bank not loaded: {err})")
        return []
    pairs = []
    for exercise in bank:
        if exercise.is_code:
            continue
        for part in apply_variant(exercise, "bench-student").parts:
            if part.type == "derivation":  # graded line by line (answers.derivation)
                continue
            if part.type == "choice":
                order = display_order(part, "", "")
                right = ", ".join(letter(order.index(i)) for i in part.correct)
            else:
                right = part.expected
            pairs.append((part, right, _perturb(part)))
    return pairs


def derivation_routes() -> list[tuple[object, list[str], str]]:
    """(part, steps, kind) of every derivation exercise's canonical steps and known broken
    routes (what `modl verify` checks)."""
    from modl_tutor.bank.loader import load_bank

    try:
        bank = load_bank(strict=False)
    except Exception as err:  # no bank installed
        print(f"(bank not loaded: {err})")
        return []
    routes = []
    for exercise in bank:
        for part in exercise.parts if exercise.kind == "derivation" else ():
            routes.append((part, list(part.steps), "canonical"))
            routes += [(part, list(r.steps), "broken") for r in part.broken]
    return routes


def measure_derivations(repeat: int) -> dict[str, list[float]]:
    """ms per derivation (canonical, broken) and per pass over all of them."""
    from modl_tutor.answers.derivation import DerivationSpec, check_derivation

    routes = derivation_routes()
    out: dict[str, list[float]] = {"derivation canonical": [], "derivation broken": [],
                                   "all derivation routes": []}
    for part, steps, _ in routes[:1]:  # imports (sympy, numpy) before timing: counted apart
        start = time.perf_counter()
        check_derivation(DerivationSpec.of(part), steps)
        out["first derivation (imports)"] = [(time.perf_counter() - start) * 1000]
    for _ in range(repeat):
        total = 0.0
        for part, steps, kind in routes:
            _cold()
            start = time.perf_counter()
            check_derivation(DerivationSpec.of(part), steps)
            ms = (time.perf_counter() - start) * 1000
            out[f"derivation {kind}"].append(ms)
            if kind == "canonical":  # each one: where a derivation's time goes
                out.setdefault(f"  canonical {steps[0][:40]!r}", []).append(ms)
            total += ms
        out["all derivation routes"].append(total)
        start = time.perf_counter()  # warm: compiled evaluators kept, as in a running app
        for part, steps, kind in routes:
            check_derivation(DerivationSpec.of(part), steps)
        out.setdefault("all routes again (warm)", []).append(
            (time.perf_counter() - start) * 1000)
    return out


def measure_answers_toml(repeat: int) -> dict[str, list[float]]:
    """ms to grade a whole answers.toml in-process (the bank's canonical answer to every math
    exercise, as `grading.core.grade_texts` does), with and without the derivations; "fresh"
    forgets what was derived from the answers' text before each exercise (as for a new
    submission), "again" regrades the same texts with everything kept (as bench_cold.py)."""
    from modl_tutor.bank.loader import load_bank
    from modl_tutor.batch.verify import _accepted_text
    from modl_tutor.grading.core import grade_texts

    try:
        bank = load_bank(strict=False)
    except Exception as err:  # no bank installed
        print(f"(bank not loaded: {err})")
        return {}
    math = [e for e in bank if not e.is_code]
    kinds = {"all math": math, "no derivations": [e for e in math if e.kind != "derivation"]}
    texts = {e.id: {p.name: _accepted_text(e, p, "") for p in e.parts} for e in math}
    for exercise in math:  # imports, the bank's expected answers: paid once by any grader
        grade_texts(exercise, texts[exercise.id], seed="")
    out: dict[str, list[float]] = {}
    for _ in range(repeat):
        for label, chosen in kinds.items():
            for mode in ("fresh", "again"):
                total = 0.0
                for exercise in chosen:
                    if mode == "fresh":
                        _cold()
                    start = time.perf_counter()
                    grade_texts(exercise, texts[exercise.id], seed="")
                    total += (time.perf_counter() - start) * 1000
                out.setdefault(f"answers.toml {label} ({mode})", []).append(total)
    return out


def _cold() -> None:
    """Forget everything derived from answer text (parse trees, compiled evaluators)."""
    from modl_tutor.answers import numbers, parser

    try:
        from modl_tutor.answers import fastscan

        fastscan._compiled.cache_clear()
        getattr(fastscan, "_SHARED", {}).clear()
        from modl_tutor.answers import ladder

        getattr(ladder, "forget", lambda: None)()
    except ImportError:  # an older checkout
        pass

    parser._parse_cached.cache_clear()
    light = getattr(parser, "_light_cached", None)
    if light is not None:
        light.cache_clear()
    numbers.compile_float.cache_clear()
    getattr(numbers._local, "mp_cache", {}).clear()


SLOWEST: list[tuple[float, str]] = []


def measure(pairs: list[tuple[Part, str, str]], repeat: int) -> tuple[list[float], list[str]]:
    from modl_tutor.answers.check import check_part

    times, surprises = [], []
    for _ in range(repeat):
        for part, right, wrong in pairs:
            for text, want in ((right, "correct"), (wrong, "wrong")):
                _cold()
                start = time.perf_counter()
                outcome = check_part(part, text)
                times.append((time.perf_counter() - start) * 1000)
                SLOWEST.append((times[-1], f"{part.expected!r} / {text!r} -> {outcome.status}"))
                if outcome.status != want and not (want == "wrong" and outcome.score < 1):
                    surprises.append(f"{part.expected!r} / {text!r}: {outcome.status}")
    return times, surprises


def report(label: str, times: list[float]) -> bool:
    q = statistics.quantiles(times, n=100, method="inclusive")
    p50, p95, p99 = statistics.median(times), q[94], q[98]
    ok = p50 <= TARGET_P50_MS and p99 <= TARGET_P99_MS
    print(f"{label:<28} n={len(times):5d}  p50={p50:7.2f} ms  p95={p95:7.2f} ms  "
          f"p99={p99:7.2f} ms  max={max(times):7.2f} ms  {'OK' if ok else 'OVER TARGET'}")
    return ok


def _compare(before: Path, repeat: int, bank: bool) -> int:
    """Interleaved fresh interpreters: before, after, before, after... (medians, ratio)."""
    sides = {"before": before.resolve(), "after": Path(__file__).resolve().parent.parent}
    got: dict[str, dict[str, list[float]]] = {side: {} for side in sides}
    work = tempfile.mkdtemp(prefix="modl-bench-answers-")
    print(f"load average {os.getloadavg()} at start")
    for _ in range(repeat):
        for side, checkout in sides.items():
            argv = [sys.executable, str(Path(__file__).resolve()), "--repeat", "1", "--json"]
            out = subprocess.run(argv + ([] if bank else ["--no-bank"]), cwd=work, text=True,
                                 capture_output=True, check=True,
                                 env={**os.environ, "PYTHONPATH": str(checkout)})
            for key, values in json.loads(out.stdout.strip().splitlines()[-1]).items():
                got[side].setdefault(key, []).extend(values)
    for key in got["after"]:
        if key not in got["before"]:
            continue
        b, a = statistics.median(got["before"][key]), statistics.median(got["after"][key])
        print(f"{key:<28} median before {b:8.2f} ms  after {a:8.2f} ms  ratio {a / b:5.2f}x")
    print(f"load average {os.getloadavg()} at end")
    return 0


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--repeat", type=int, default=5)
    args.add_argument("--no-bank", action="store_true")
    args.add_argument("--before", type=Path, help="a checkout to compare with")
    args.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    opts = args.parse_args()
    if opts.before is not None:
        return _compare(opts.before, opts.repeat, not opts.no_bank)
    start = time.perf_counter()
    from modl_tutor.answers.check import check_part

    check_part(SIG, "sigmoid(x)")
    first = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    check_part(SIG, "σ(x)(1−σ(x))")
    second = (time.perf_counter() - start) * 1000
    rep_times, surprises = measure(REPRESENTATIVE, opts.repeat)
    all_times = list(rep_times)
    bank_times: list[float] = []
    if not opts.no_bank:
        pairs = bank_pairs()
        if pairs:
            bank_times, more = measure(pairs, opts.repeat)
            surprises += more
            all_times += bank_times
    derivations = measure_derivations(opts.repeat) if not opts.no_bank else {}
    if not opts.no_bank:
        derivations.update(measure_answers_toml(opts.repeat))
    if opts.json:
        print(json.dumps({"first call (engine imports)": [first],
                          "second call": [second], "representative answers": rep_times,
                          "bank math parts": bank_times, "all": all_times, **derivations}))
        return 0
    for key, values in derivations.items():
        if values:
            print(f"{key:<28} n={len(values):5d}  median={statistics.median(values):8.1f} ms  "
                  f"max={max(values):8.1f} ms")
    print(f"first call (imports the engine): {first:.0f} ms")
    print(f"first correct answer: {second:.0f} ms")
    ok = report("representative answers", rep_times)
    if bank_times:
        ok &= report(f"bank math parts ({len(bank_pairs())})", bank_times)
    report("all", all_times)
    print(f"targets: p50 <= {TARGET_P50_MS:g} ms, p99 <= {TARGET_P99_MS:g} ms")
    for ms, what in sorted(SLOWEST, reverse=True)[:5]:
        print(f"slow: {ms:7.2f} ms  {what[:110]}")
    for line in sorted(set(surprises))[:20]:
        print("unexpected status:", line)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
