"""Batch-grading throughput: N generated submissions of the full bank, cold and cached.

    python benchmarks/bench_batch.py [--submissions 200] [--jobs 2] [--keep DIR]

Submissions are generated from the reference solutions and the starters with variation
(each code exercise: solution, starter, or a broken file; each math answer: the canonical
answer for that student's variant, a known mistake, or blank). Prints wall time and
submissions per second for a cold run (empty cache) and a cached re-run.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import tomlkit

from modl_tutor.bank.loader import Bank, load_bank
from modl_tutor.batch.cache import ResultCache, bank_digest
from modl_tutor.batch.runner import grade_batch


def _answer(exercise, part, student: str, rng: random.Random) -> str:  # type: ignore[no-untyped-def]
    from modl_tutor.batch.verify import _accepted_text

    roll = rng.random()
    if roll < 0.1:
        return ""
    if roll < 0.3 and part.mistakes:
        return rng.choice(part.mistakes).expected
    return _accepted_text(exercise, part, student)


def make_submission(root: Path, bank: Bank, index: int) -> Path:
    """One workspace: variation drawn from a generator seeded by `index`."""
    from modl_tutor.grading.core import for_student

    rng = random.Random(index)
    student = f"student{index:03d}"
    root.mkdir(parents=True)
    (root / "modl.toml").write_text(f'[student]\nid = "{student}"\n', encoding="utf-8")
    doc = tomlkit.document()
    for exercise in bank:
        if exercise.is_code:
            solution = bank.solutions_root / exercise.topic / f"{exercise.slug}.py"
            target = root / exercise.workspace_file
            target.parent.mkdir(parents=True, exist_ok=True)
            roll = rng.random()
            if roll < 0.65 and solution.is_file():
                text = solution.read_text(encoding="utf-8")
            elif roll < 0.95:
                text = exercise.starter_path.read_text(encoding="utf-8")
            else:
                text = "def broken(:\n"
            target.write_text(text, encoding="utf-8")
            continue
        variant = for_student(exercise, student)
        table = doc.setdefault(exercise.topic, tomlkit.table())
        if exercise.is_multipart:
            sub = tomlkit.table()
            for part in variant.parts:
                sub[part.name] = _answer(variant, part, student, rng)
            table[exercise.slug] = sub
        else:
            table[exercise.slug] = _answer(variant, variant.parts[0], student, rng)
    (root / "answers.toml").write_text(tomlkit.dumps(doc), encoding="utf-8")
    return root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="Generate into DIR and keep it.")
    args = parser.parse_args()

    bank = load_bank(strict=False)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    work = args.keep or Path(tempfile.mkdtemp(prefix="modl-bench-"))
    try:
        started = time.perf_counter()
        subs = [make_submission(work / "subs" / f"s{i:03d}", bank, i)
                for i in range(args.submissions)]
        print(f"bank: {len(bank)} exercises ({sum(e.is_code for e in bank)} code); "
              f"generated {len(subs)} submissions in {time.perf_counter() - started:.1f} s")
        cache = ResultCache(work / "cache")
        key = bank_digest(bank)  # pinned: the tree may change under a dev checkout
        for label in ("cold", "cached"):
            started = time.perf_counter()
            results = grade_batch(subs, bank, jobs=args.jobs, cache=cache, progress=False,
                                  bank_key=key)
            wall = time.perf_counter() - started
            served = sum(1 for r in results if r.extra.get("cached"))
            mean = sum(r.score / r.max_score for r in results if r.max_score) / len(results)
            errors = Counter(e.message.split(":")[0] for r in results for e in r.exercises
                             if e.status == "error")
            print(f"{label:>6}: {wall:7.2f} s wall, {len(results) / wall:8.1f} submissions/s "
                  f"({served} from cache, mean score {100 * mean:.1f}%, jobs={args.jobs}, "
                  f"{sum(errors.values())} exercise errors)")
            for message, count in errors.most_common(3):
                print(f"        {count} × {message[:100]}")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
