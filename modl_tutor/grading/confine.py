"""Resource limits of a sandboxed child: CPU, address space, file size, open files, processes."""

from __future__ import annotations

import os
import resource
import signal

OPEN_FILES = 64
PROCESSES_OWN_UID = 32
"""Processes/threads a sandbox may hold when it runs under a uid of its own."""


def _virtual_memory_bytes() -> int:
    """The process's current address-space size (VmSize), 0 when unknown."""
    try:
        with open("/proc/self/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _set(limit: int, value: int) -> bool:
    _soft, hard = resource.getrlimit(limit)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    try:
        resource.setrlimit(limit, (value, value))
    except (ValueError, OSError):
        return False
    return True


def close_fds(keep: tuple[int, ...]) -> None:
    """Close every file descriptor except `keep`."""
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        fds = list(range(3, 1024))
    for fd in fds:
        if fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def confine(*, cpu_seconds: int, memory_mb: int, file_limit: int,
            processes: int | None) -> list[str]:
    """Apply the rlimits of a grading child (irreversible); returns the limits that took."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # over-long writes fail with an error
    applied = []
    if _set(resource.RLIMIT_CPU, max(1, cpu_seconds)):
        applied.append("cpu")
    base = _virtual_memory_bytes()
    if base and _set(resource.RLIMIT_AS, base + memory_mb * 1024 * 1024):
        applied.append("address-space")
    if _set(resource.RLIMIT_FSIZE, file_limit):
        applied.append("file-size")
    if _set(resource.RLIMIT_NOFILE, OPEN_FILES):
        applied.append("open-files")
    _set(resource.RLIMIT_CORE, 0)
    if processes is not None and hasattr(resource, "RLIMIT_NPROC"):
        if _set(resource.RLIMIT_NPROC, processes):
            applied.append("processes")
    return applied
