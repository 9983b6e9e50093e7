"""The student side of grading: the runner (NumPy only, never a secret), its per-job
supervisors and confined children, limits, namespaces and the whitelisted file view."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "SandboxRun":  # the judge's record of a run (kept importable from here)
        from modl_tutor.grading.protocol import SandboxRun

        return SandboxRun
    raise AttributeError(name)
