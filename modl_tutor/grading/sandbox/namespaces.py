"""Linux namespaces for the sandbox through ctypes: unshare, setns, mount, pivot_root, ids."""

from __future__ import annotations

import ctypes
import os
import sys

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

MNT_DETACH = 2
PR_SET_PDEATHSIG = 1

_SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "riscv64": 41, "ppc64le": 203}

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
    """setns(2): join the namespace `fd` refers to (for CLONE_NEWPID: the one children join)."""
    _check(libc().setns(ctypes.c_int(fd), ctypes.c_int(nstype)), "setns")


def new_pid_namespace_for_next_child(own: int | None) -> None:
    """Make the next fork init of a fresh PID namespace: back to `own` (this process's PID
    namespace, an open fd) first when an earlier fork already used one, then unshare."""
    if own is not None:
        setns(own, CLONE_NEWPID)
    unshare(CLONE_NEWPID)


def mount(source: str | None, target: str, fstype: str | None, flags: int,
          data: str | None = None) -> None:
    """mount(2)."""
    def enc(text: str | None) -> bytes | None:
        return None if text is None else os.fsencode(text)

    _check(libc().mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags),
                        enc(data)), f"mount {target}")


def umount(target: str) -> None:
    """umount2(target, MNT_DETACH)."""
    _check(libc().umount2(os.fsencode(target), ctypes.c_int(MNT_DETACH)), f"umount {target}")


def pivot_root(new_root: str) -> None:
    """Make `new_root` (a mount point) the root of this mount namespace and drop the old one."""
    number = _SYS_PIVOT_ROOT.get(os.uname().machine)
    if number is None:
        raise NamespaceError(0, f"pivot_root: unknown syscall number on {os.uname().machine}")
    os.chdir(new_root)
    _check(libc().syscall(ctypes.c_long(number), b".", b"."), "pivot_root")
    umount(".")  # the old root, stacked under the new one by pivot_root(".", ".")
    os.chdir("/")


def die_with_parent() -> None:
    """Be killed (SIGKILL) when the parent process exits (Linux; a no-op elsewhere)."""
    try:
        prctl(PR_SET_PDEATHSIG, 9)
    except OSError:
        pass


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


def enter_user_namespace() -> bool:
    """Become root of a new user namespace (unprivileged Linux); call while single-threaded."""
    uid, gid = os.getuid(), os.getgid()
    try:
        unshare(CLONE_NEWUSER)
        write_id_maps(uid, gid)
    except OSError:
        return False
    return True


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
