"""Process helpers for the no-orphan tests (Linux /proc): is a pid alive, its children and
descendants."""

from __future__ import annotations

from pathlib import Path


def alive(pid: int) -> bool:
    """The process exists and is neither a zombie nor dead (reaped ones are gone from /proc)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in (b"Z", b"X")


def _children_by_parent(living: bool = False) -> dict[int, list[int]]:
    """Each pid's children now, from each process's parent in /proc/<pid>/stat (with
    `living`, zombies and dead ones left out)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_bytes().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if not living or fields[0] not in (b"Z", b"X"):
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def children(pid: int) -> set[int]:
    """The living processes whose parent is `pid`."""
    return set(_children_by_parent(living=True).get(pid, []))


def descendants(pid: int) -> set[int]:
    """Every process below `pid` now, from each process's parent in /proc/<pid>/stat."""
    children = _children_by_parent()
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found
