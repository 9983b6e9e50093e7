"""Confine the current (forked) process before it runs student code: rlimits and closed fds."""

from __future__ import annotations

import os
import resource
import signal


def _virtual_memory_bytes() -> int:
    """The process's current address-space size (VmSize), 0 when unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _set(limit: int, value: int) -> None:
    soft, hard = resource.getrlimit(limit)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    try:
        resource.setrlimit(limit, (value, value))
    except (ValueError, OSError):
        pass


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


def confine(*, scratch: str, keep_fds: tuple[int, ...], cpu_seconds: int, memory_mb: int,
            file_limit: int) -> None:
    """Apply the limits of a grading child. Irreversible; call only in a forked child."""
    del scratch
    close_fds(keep_fds)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # over-long writes fail with an error
    _set(resource.RLIMIT_CPU, max(1, cpu_seconds))
    base = _virtual_memory_bytes()
    _set(resource.RLIMIT_AS, base + memory_mb * 1024 * 1024)
    _set(resource.RLIMIT_FSIZE, file_limit)
    _set(resource.RLIMIT_NOFILE, 64)
    _set(resource.RLIMIT_CORE, 0)
    if os.getuid() != 0:
        _set(resource.RLIMIT_NPROC, 0)
