"""The spawn-based student runner, for platforms without fork (Windows) or on request
(`MODL_SANDBOX=spawn`): a fresh interpreter per job that imports only NumPy and the public
sandbox code, reads its one job on stdin, sends records on stdout and what it prints on
stderr. The parent enforces the wall clock (and, on Windows, memory, CPU time and child
processes with a Job Object); on POSIX the process applies its own rlimits.

Run: `python -I -m modl_tutor.grading.sandbox.spawned` (the job on stdin, then EOF).
"""

from __future__ import annotations

import json
import os
import sys

MAX_JOB_BYTES = 64 << 20


def main() -> None:
    from modl_tutor.grading.sandbox.child import ChildSetup, run_child

    data = sys.stdin.buffer.read(MAX_JOB_BYTES + 1)
    try:
        job = json.loads(data) if len(data) <= MAX_JOB_BYTES else None
    except ValueError:
        job = None
    result_fd = os.dup(1)
    if not isinstance(job, dict):
        os.write(result_fd, b'{"event":"sandbox_error","message":"bad job"}\n')
        os._exit(0)
    setup = ChildSetup(result_fd=result_fd, output_fd=2,
                       cpu_seconds=float(job.get("cpu_seconds", 10.0)),
                       memory_mb=int(job.get("memory_mb", 2048)), namespaces=False, uid=None,
                       scratch=os.getcwd(), processes=0)
    try:
        run_child(setup, job)
    finally:
        os._exit(0)


if __name__ == "__main__":
    main()
