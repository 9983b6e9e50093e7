"""Grade many submissions with one pre-loaded grading server, code jobs run in parallel."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from modl_tutor.bank.loader import Bank
from modl_tutor.grading.client import CodeGrader
from modl_tutor.grading.core import grade_submission
from modl_tutor.result import SubmissionResult


def grade_batch(submissions: Sequence[Path], bank: Bank, *, jobs: int | None = None,
                progress: bool = True) -> list[SubmissionResult]:
    """Grade every submission; results in the order given."""
    with CodeGrader(jobs=jobs) as grader:
        # Math grading is in-process and cheap; code jobs queue in the zygote concurrently.
        workers = max(2, grader.jobs * 2)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(grade_submission, path, bank, grader) for path in submissions]
            results = []
            for done, future in enumerate(futures, 1):
                results.append(future.result())
                if progress and sys.stderr.isatty():
                    print(f"\rgraded {done}/{len(futures)}", end="", file=sys.stderr, flush=True)
            if progress and sys.stderr.isatty():
                print(file=sys.stderr)
    return results
