"""Dask overhead: N generated submissions graded locally, then on a 2-worker LocalCluster.

    python benchmarks/bench_dask.py [--submissions 200] [--workers 2] [--jobs 2]

Uses bench_batch's generator (solutions, starters and broken files; canonical answers, known
mistakes and blanks). No cache. Prints wall time per run, seconds per submission and the
cluster's overhead per submission (cluster start excluded, printed apart), and checks that both
runs give the same results.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_batch import make_submission  # noqa: E402

from modl_tutor.bank.loader import load_bank  # noqa: E402
from modl_tutor.batch.runner import grade_batch  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=2, help="local run's parallel jobs")
    args = parser.parse_args()
    try:
        import distributed
    except ImportError:
        print("needs the dask extra: pip install 'modl-tutor[dask]'", file=sys.stderr)
        return 2
    from modl_tutor.batch.dask_runner import grade_on_dask

    bank = load_bank(strict=False)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    work = Path(tempfile.mkdtemp(prefix="modl-bench-dask-"))
    try:
        subs = [make_submission(work / f"s{i:03d}", bank, i) for i in range(args.submissions)]
        started = time.perf_counter()
        local = grade_batch(subs, bank, jobs=args.jobs, progress=False)
        local_wall = time.perf_counter() - started
        print(f" local: {local_wall:7.2f} s, {local_wall / len(subs):.3f} s/submission "
              f"(jobs={args.jobs})")
        started = time.perf_counter()
        cluster = distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1,
                                           processes=True, dashboard_address=None,
                                           host="127.0.0.1", silence_logs=40)
        client = distributed.Client(cluster, set_as_default=False)
        print(f"cluster of {args.workers} workers started in "
              f"{time.perf_counter() - started:.2f} s")
        try:
            started = time.perf_counter()
            remote = grade_on_dask(subs, bank, client=client)
            first = time.perf_counter() - started  # includes each worker's grading server start
            started = time.perf_counter()
            grade_on_dask(subs, bank, client=client)
            warm = time.perf_counter() - started
        finally:
            client.close()
            cluster.close()
        differ = [(a.id, a.status, b.status) for x, y in zip(local, remote)
                  for a, b in zip(x.exercises, y.exercises) if a.to_dict() != b.to_dict()]
        print(f"  dask: {first:7.2f} s first run (grading servers starting), {warm:7.2f} s warm, "
              f"{warm / len(subs):.3f} s/submission; exercise results that differ from the "
              f"local run: {len(differ)}")
        for exercise_id, before, after in differ[:5]:  # a loaded machine can time out a check
            print(f"        {exercise_id}: local {before}, dask {after}")
        print(f"overhead per submission (warm dask − local): "
              f"{(warm - local_wall) / len(subs) * 1000:+.1f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
