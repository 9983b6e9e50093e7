"""The whitelisted file view of the student runner: an empty root with read-only binds of the
standard library, NumPy and the system's shared libraries, /dev/null and a private scratch
folder per child (/scratch: HOME, TMPDIR and the current folder)."""

from __future__ import annotations

import os
import sys
import sysconfig
from dataclasses import dataclass, field

from modl_tutor.grading.sandbox.namespaces import (MS_BIND, MS_NODEV, MS_NOSUID, MS_PRIVATE,
                                                   MS_RDONLY, MS_REC, MS_REMOUNT, make_readonly,
                                                   mount, pivot_root)

SYSTEM_LIBRARIES = ("/lib", "/lib64", "/lib32", "/usr/lib", "/usr/lib64", "/usr/lib32")
"""Where the dynamic loader finds what C extension modules link to (not secret)."""

DEVICES = ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random")

MOUNT_POINTS = ("/mnt", "/media", "/srv", "/opt", "/var/empty", "/run", "/boot")
"""Existing folders the new root may be built on (inside the runner's own mount namespace)."""

_EMPTY = "size=1m,nr_inodes=4096,mode=0755"
SCRATCH = "/scratch"
"""Each child's private, writable folder (its own tmpfs, in its own mount namespace)."""
SCRATCH_OPTIONS = "size=64m,nr_inodes=1024,mode=0700"


@dataclass
class ViewPlan:
    """What the student runner's root holds: `binds` (read-only, real paths), `links`
    (symbolic links as they are on the host, e.g. merged /usr), `empty` (folders covered by an
    empty tmpfs because they lie inside a bind but must not be seen: site-packages)."""

    binds: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    empty: list[str] = field(default_factory=list)
    rebinds: list[str] = field(default_factory=list)


def _real(path: str) -> str:
    return os.path.realpath(path)


def _inside(path: str, parent: str) -> bool:
    return path == parent or path.startswith(parent.rstrip("/") + "/")


def plan_view() -> ViewPlan:
    """The binds for this interpreter: stdlib (without its site-packages), NumPy, system libs."""
    import numpy

    plan = ViewPlan()
    paths = sysconfig.get_paths()
    stdlib = {_real(paths[k]) for k in ("stdlib", "platstdlib") if paths.get(k)}
    numpy_dir = _real(os.path.dirname(numpy.__file__))
    numpy_parts = [numpy_dir]
    libs = os.path.join(os.path.dirname(numpy_dir), "numpy.libs")
    if os.path.isdir(libs):
        numpy_parts.append(_real(libs))
    for lib in SYSTEM_LIBRARIES:
        if os.path.islink(lib):
            plan.links[lib] = os.readlink(lib)
        elif os.path.isdir(lib):
            plan.binds.append(lib)
    plan.binds.extend(sorted(stdlib))
    for std in sorted(stdlib):  # the interpreter's own site-packages may hold modl_tutor
        for name in ("site-packages", "dist-packages"):
            inner = os.path.join(std, name)
            if os.path.isdir(inner):
                plan.empty.append(inner)
    for folder in ("/usr/lib", "/usr/local/lib"):  # Debian's system-wide packages
        for version in (f"python{sys.version_info[0]}", f"python{sys.version_info[0]}."
                        f"{sys.version_info[1]}"):
            for name in ("dist-packages", "site-packages"):
                inner = os.path.join(folder, version, name)
                if os.path.isdir(inner) and any(_inside(inner, b) for b in plan.binds):
                    plan.empty.append(_real(inner))
    plan.binds.extend(numpy_parts)
    plan.rebinds = [p for p in numpy_parts if any(_inside(p, e) for e in plan.empty)]
    plan.binds = [p for p in plan.binds if p not in plan.rebinds]
    return plan


def _mount_point(plan: ViewPlan) -> str:
    """An existing folder that holds none of what must be bound (its contents get covered)."""
    for candidate in MOUNT_POINTS:
        if not os.path.isdir(candidate) or os.path.islink(candidate):
            continue
        real = _real(candidate)
        if not any(_inside(b, real) for b in [*plan.binds, *plan.rebinds]):
            return real
    raise OSError(f"no folder to build the sandbox root on (tried {', '.join(MOUNT_POINTS)})")


def _bind(source: str, root: str, *, file: bool = False) -> None:
    target = root + source
    if file:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb"):
            pass
    else:
        os.makedirs(target, exist_ok=True)
    mount(source, target, None, MS_BIND | MS_REC)
    mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID |
          (0 if file else MS_NODEV))


def enter_view(plan: ViewPlan) -> None:
    """In the runner, inside fresh mount (and user) namespaces: build the whitelisted root and
    pivot into it. Nothing of the host stays reachable. /tmp is an empty read-only tmpfs unless
    a bind lies below it (a virtual environment in /tmp): children write only to /scratch."""
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    root = _mount_point(plan)
    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, _EMPTY)
    for source in plan.binds:
        _bind(source, root)
    for inner in plan.empty:
        target = root + inner
        if os.path.isdir(target):
            mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, _EMPTY)
    for source in plan.rebinds:
        _bind(source, root)
    for link, destination in plan.links.items():
        os.symlink(destination, root + link)
    for device in DEVICES:
        if os.path.exists(device):
            _bind(device, root, file=True)
    os.makedirs(root + SCRATCH, mode=0o755)
    if not any(_inside(b, "/tmp") for b in [*plan.binds, *plan.rebinds]):
        os.makedirs(root + "/tmp", mode=0o755, exist_ok=True)
        mount("tmpfs", root + "/tmp", "tmpfs", MS_NOSUID | MS_NODEV | MS_RDONLY, _EMPTY)
    pivot_root(root)
    for inner in plan.empty:
        if os.path.isdir(inner):
            make_readonly(inner)
    mount(None, "/", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)


def private_tmp(uid: int | None) -> str:
    """In a child, inside its own mount namespace: a fresh, private scratch folder it owns."""
    owner = f",uid={uid},gid={uid}" if uid is not None else ""
    mount("tmpfs", SCRATCH, "tmpfs", MS_NOSUID | MS_NODEV, SCRATCH_OPTIONS + owner)
    return SCRATCH
