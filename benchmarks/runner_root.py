"""For benchmarks: start the student runner from the checkout whose `modl_tutor` was imported.

The grading client starts the runner with `python -I` (no PYTHONPATH), so with
`PYTHONPATH=<older checkout>` it would still run the installed package's runner. This makes
a before/after comparison run the runner of the checkout being measured.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

_MODULE = "modl_tutor.grading.sandbox.runner"


def use_runner_of_imported_checkout() -> str:
    """Patch `subprocess.Popen` (in this process) so the runner imports `modl_tutor` from the
    same folder as this process did; returns that folder."""
    import modl_tutor

    root = str(Path(modl_tutor.__file__).resolve().parent.parent)
    original = subprocess.Popen
    if getattr(original, "_modl_runner_root", None) == root:
        return root

    class Popen(original):  # type: ignore[misc, valid-type]
        _modl_runner_root = root

        def __init__(self, args: Any, *rest: Any, **kwargs: Any) -> None:
            if isinstance(args, list) and _MODULE in args and "-m" in args:
                at = args.index("-m")
                code = (f"import sys; sys.path.insert(0, {root!r}); import runpy; "
                        f"runpy.run_module({_MODULE!r}, run_name='__main__', alter_sys=True)")
                args = [*args[:at], "-c", code, *args[at + 2:]]
            super().__init__(args, *rest, **kwargs)

    subprocess.Popen = Popen  # type: ignore[misc]
    return root


def tree_cpu(top: int, *, include_top: bool = True) -> tuple[float, float]:
    """(user, system) CPU seconds of process `top` (unless `include_top` is False) and every
    living process below it, each with its reaped children (the runner's slots live below a
    shim, so read the whole tree)."""
    import os

    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    stats: dict[int, list[bytes]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_bytes().rsplit(b")", 1)[1].split()
            except (OSError, IndexError):
                continue
            parents[int(entry.name)] = int(fields[1])
            stats[int(entry.name)] = fields
    user = system = 0.0
    for pid, fields in stats.items():
        ancestor: int | None = pid if include_top else parents.get(pid)
        while ancestor not in (None, 0, 1, top):
            ancestor = parents.get(ancestor)
        if ancestor == top:  # utime, stime, cutime, cstime
            user += (int(fields[11]) + int(fields[13])) / tick
            system += (int(fields[12]) + int(fields[14])) / tick
    return user, system
