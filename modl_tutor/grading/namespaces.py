"""Linux namespaces for the sandbox through ctypes: unshare, setns, mount, and an isolation plan."""

from __future__ import annotations

import ctypes
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18

PR_SET_DUMPABLE = 4
PR_SET_NO_NEW_PRIVS = 38
PR_SET_CHILD_SUBREAPER = 36

_SYS_MOUNT_SETATTR = {"x86_64": 442, "aarch64": 442, "riscv64": 442, "ppc64le": 442}
_AT_FDCWD, _AT_RECURSIVE, _MOUNT_ATTR_RDONLY, _MOUNT_ATTR_NOSUID = -100, 0x8000, 1, 2

NEVER_HIDDEN = frozenset({"/", "/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc",
                          "/proc", "/dev", "/sys", "/opt", "/var", "/run"})
"""Folders too central to cover with an empty tmpfs (their children may be hidden instead)."""

_LIBC: ctypes.CDLL | None = None


class NamespaceError(OSError):
    """A namespace or mount operation failed."""


def libc() -> ctypes.CDLL:
    """The C library (Linux only), with errno kept for error messages."""
    global _LIBC
    if _LIBC is None:
        if not sys.platform.startswith("linux"):
            raise NamespaceError(0, "namespaces need Linux")
        _LIBC = ctypes.CDLL(None, use_errno=True)
    return _LIBC


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise NamespaceError(err, f"{what}: {os.strerror(err)}")


def unshare(flags: int) -> None:
    """unshare(2): move the calling process into new namespaces."""
    _check(libc().unshare(ctypes.c_int(flags)), "unshare")


def setns(fd: int, nstype: int) -> None:
    """setns(2): join the namespace open on `fd`."""
    _check(libc().setns(ctypes.c_int(fd), ctypes.c_int(nstype)), "setns")


def mount(source: str | None, target: str, fstype: str | None, flags: int,
          data: str | None = None) -> None:
    """mount(2)."""
    def enc(text: str | None) -> bytes | None:
        return None if text is None else os.fsencode(text)

    _check(libc().mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags),
                        enc(data)), f"mount {target}")


def prctl(option: int, arg: int) -> None:
    """prctl(2) with one argument."""
    _check(libc().prctl(ctypes.c_int(option), ctypes.c_ulong(arg), ctypes.c_ulong(0),
                        ctypes.c_ulong(0), ctypes.c_ulong(0)), f"prctl {option}")


class _MountAttr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]


def make_readonly(path: str = "/") -> None:
    """Make `path` and every mount below it read-only and nosuid (falls back to `path` alone)."""
    number = _SYS_MOUNT_SETATTR.get(os.uname().machine)
    if number is not None:
        attr = _MountAttr(_MOUNT_ATTR_RDONLY | _MOUNT_ATTR_NOSUID, 0, 0, 0)
        result = libc().syscall(ctypes.c_long(number), ctypes.c_int(_AT_FDCWD),
                                os.fsencode(path), ctypes.c_uint(_AT_RECURSIVE),
                                ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr)))
        if result == 0:
            return
    mount(None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID)


def write_id_maps(uid: int, gid: int, inside: int = 0) -> None:
    """Map `inside` in a fresh user namespace to the caller's outer uid/gid (single line)."""
    for name, text in (("setgroups", "deny"), ("uid_map", f"{inside} {uid} 1"),
                       ("gid_map", f"{inside} {gid} 1")):
        fd = os.open(f"/proc/self/{name}", os.O_WRONLY)  # no O_TRUNC: proc refuses it
        try:
            os.write(fd, text.encode())
        finally:
            os.close(fd)


def requested_mode() -> str:
    """`limits` when MODL_SANDBOX=limits (or not Linux), else `auto` (namespaces if they work)."""
    if not sys.platform.startswith("linux"):
        return "limits"
    return "limits" if os.environ.get("MODL_SANDBOX", "").strip().lower() == "limits" \
        else "auto"


def global_pid() -> int:
    """This process's pid as the host sees it (NSpid's first field), else os.getpid()."""
    try:
        with open("/proc/self/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"NSpid:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return os.getpid()


class PidNamespaces:
    """Fork each child as init of its own PID namespace (the parent stays where it is).

    When the child (init) ends, the kernel kills every process left in its namespace, so a
    grading worker forked this way takes all the submission's processes with it.
    """

    def __init__(self) -> None:
        self.available = False
        self._own: int | None = None
        try:
            self._own = os.open("/proc/self/ns/pid", os.O_RDONLY)
            unshare(CLONE_NEWPID)
            setns(self._own, CLONE_NEWPID)
            self.available = True
        except (OSError, AttributeError):
            self.available = False

    def fork(self) -> int:
        """os.fork(), the child being pid 1 of a new PID namespace when available."""
        if not self.available or self._own is None:
            return os.fork()
        try:
            unshare(CLONE_NEWPID)
        except OSError:
            return os.fork()
        pid = os.fork()
        if pid != 0:
            setns(self._own, CLONE_NEWPID)
        return pid


def enter_user_namespace() -> bool:
    """Become root of a new user namespace (unprivileged Linux); call while single-threaded."""
    uid, gid = os.getuid(), os.getgid()
    try:
        unshare(CLONE_NEWUSER)
        write_id_maps(uid, gid)
    except OSError:
        return False
    return True


@dataclass
class Isolation:
    """What the sandboxed child may see: empty tmpfs over `hide`, `keep` bound back inside."""

    hide: list[str] = field(default_factory=list)
    keep: list[str] = field(default_factory=list)
    rehide: list[str] = field(default_factory=list)
    student_file: str = ""
    source: str = ""
    scratch: str = "/tmp"
    uid: int | None = None
    fresh_proc: bool = False


def _inside(path: str, parent: str) -> bool:
    return path == parent or path.startswith(parent.rstrip("/") + "/")


def _strictly_inside(path: str, parent: str) -> bool:
    return path != parent and _inside(path, parent)


def _outermost(paths: list[str]) -> list[str]:
    ordered = sorted(set(paths), key=len)
    return [p for p in ordered if not any(_strictly_inside(p, o) for o in ordered)]


def _existing_dirs(raw_paths: list[str]) -> list[str]:
    found = []
    for raw in raw_paths:
        try:
            path = str(Path(raw).resolve())
        except (OSError, RuntimeError):
            continue
        if path not in NEVER_HIDDEN and os.path.isdir(path):
            found.append(path)
    return found


def plan_isolation(student_file: Path, source: str, secrets: list[Path], *, uid: int | None,
                   fresh_proc: bool) -> Isolation:
    """Hide the bank, the home folders, /tmp and the workspace's parent; keep the interpreter."""
    student = Path(student_file).resolve()
    workspace = student.parent.parent
    parent = workspace.parent if str(workspace.parent) not in NEVER_HIDDEN else workspace
    secret_paths = _existing_dirs([str(p) for p in secrets])
    hide = _existing_dirs([*secret_paths, str(parent), os.path.expanduser("~"), "/root",
                           "/home", "/tmp", "/var/tmp", "/dev/shm", "/run/user", "/mnt",
                           "/media", "/srv"])
    outer = _outermost(hide)
    candidates = _existing_dirs([sys.prefix, sys.base_prefix, sys.exec_prefix,
                                 *[p for p in sys.path if p]])
    keep = _outermost([k for k in candidates
                       if any(_strictly_inside(k, o) for o in outer) and k not in hide
                       and not any(_inside(k, s) for s in secret_paths)])
    rehide = [h for h in sorted(set(hide), key=len)
              if any(_strictly_inside(h, k) for k in keep)]
    return Isolation(hide=outer, keep=keep, rehide=_outermost(rehide), student_file=str(student),
                     source=source, uid=uid, fresh_proc=fresh_proc)


_EMPTY = "size=4m,nr_inodes=256,mode=0755"


def isolate(plan: Isolation) -> dict[str, bool]:
    """In a forked, single-threaded child: new mount/net/IPC namespaces and the plan's view.

    Raises NamespaceError (an OSError) when a namespace or mount cannot be set up.
    """
    if os.geteuid() != 0:
        uid, gid = os.getuid(), os.getgid()  # read before: unmapped ids show as 65534 after
        unshare(CLONE_NEWUSER)
        write_id_maps(uid, gid)
    unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS)
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    make_readonly("/")
    keep_fds = {path: os.open(path, os.O_PATH | os.O_DIRECTORY) for path in plan.keep}
    owner = f",uid={plan.uid},gid={plan.uid}" if plan.uid is not None else ""
    for path in plan.hide:
        if path != plan.scratch:
            mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, _EMPTY)
    mount("tmpfs", plan.scratch, "tmpfs", MS_NOSUID | MS_NODEV,
          f"size=16m,nr_inodes=512,mode=0700{owner}")
    for path, fd in keep_fds.items():
        os.makedirs(path, exist_ok=True)
        mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
        os.close(fd)
    rehidden = [path for path in plan.rehide if os.path.isdir(path)]
    for path in rehidden:
        mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, _EMPTY)
    if plan.student_file and not os.path.exists(plan.student_file):
        os.makedirs(os.path.dirname(plan.student_file), exist_ok=True)
        with open(plan.student_file, "wb") as handle:
            handle.write(plan.source.encode("utf-8"))
        os.chmod(plan.student_file, 0o444)
    for path in [*plan.hide, *rehidden]:  # read-only once the student's file is in place
        if path != plan.scratch:
            mount(None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    proc = False
    if plan.fresh_proc:
        for options in ("hidepid=2", None):
            try:
                mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, options)
                proc = True
                break
            except OSError:
                continue
    return {"network": True, "filesystem": True, "pid_namespace": plan.fresh_proc,
            "private_proc": proc}


def drop_privileges(uid: int | None) -> str:
    """Give up every capability: a fresh unprivileged uid when root, else a nested user ns."""
    if uid is not None and os.getuid() == 0 and in_initial_user_namespace():
        set_ids(uid)
        how = f"uid {uid}"
    else:
        unshare(CLONE_NEWUSER)
        how = "nested user namespace"
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    return how


def set_ids(uid: int) -> None:
    """Become `uid` (group `uid`, no supplementary groups) for good."""
    os.setgroups([])
    if hasattr(os, "setresuid"):
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    else:  # macOS
        os.setgid(uid)
        os.setuid(uid)


def in_initial_user_namespace() -> bool:
    """True unless this process lives in a user namespace (uid 0 there is not real root)."""
    try:
        with open("/proc/self/uid_map", "rb") as handle:
            fields = handle.read().split()
    except OSError:
        return True
    return fields[:3] == [b"0", b"0", b"4294967295"]
