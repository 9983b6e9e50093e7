"""Resource limits of a sandboxed child: CPU, address space, file size, open files, processes."""

from __future__ import annotations

import math
import os
import signal

try:
    import resource
except ImportError:  # Windows: the parent's Job Object limits the process instead
    resource = None  # type: ignore[assignment]

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


def _set(limit: int, value: int, hard_value: int | None = None) -> bool:
    _soft, hard = resource.getrlimit(limit)
    wanted = value if hard_value is None else hard_value
    if hard != resource.RLIM_INFINITY:
        value, wanted = min(value, hard), min(wanted, hard)
    try:
        resource.setrlimit(limit, (value, wanted))
    except (ValueError, OSError):
        return False
    return True


def close_fds(keep: tuple[int, ...]) -> None:
    """Close every file descriptor except `keep`."""
    low = 0
    for fd in sorted(set(keep)):
        if fd > low:
            os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, 1 << 20)


def confine(*, cpu_seconds: float, memory_mb: int, file_limit: int,
            processes: int | None, base_vm: int = 0, phases: int = 1) -> list[str]:
    """Apply the rlimits of a grading child (irreversible); returns the limits that took.

    CPU time is the budget (deterministic under load): SIGXCPU at `cpu_seconds` (rounded up),
    SIGKILL one second later. With two `phases`, the hard limit leaves room for the second
    phase's budget (`next_phase_cpu` lowers it again; the supervisor holds a first phase to
    its own share). `base_vm` is the address space already mapped when /proc cannot be read
    (inside the whitelisted view)."""
    if resource is None:
        return []
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # over-long writes fail with an error
    applied = []
    cpu = max(1, math.ceil(cpu_seconds))
    if _set(resource.RLIMIT_CPU, cpu, phases * (cpu + 1)):
        applied.append("cpu")
    base = _virtual_memory_bytes() or base_vm
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


def next_phase_cpu(cpu_seconds: float) -> None:
    """A second phase's CPU budget: `cpu_seconds` more than this process used so far, SIGKILL
    one second later (a hard limit only ever lowered)."""
    if resource is None:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = max(1, math.ceil(usage.ru_utime + usage.ru_stime + cpu_seconds))
    _set(resource.RLIMIT_CPU, soft, soft + 1)
