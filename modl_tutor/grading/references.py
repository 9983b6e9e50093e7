"""Content-addressed on-disk store of reference outputs (npz, never pickle), one per check."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import sys
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from modl_tutor.atomic import write_bytes_atomic
from modl_tutor.grading.npz_fast import read_npz, write_npz

log = logging.getLogger("modl")

_PACKAGE = Path(__file__).resolve().parent.parent
_CODE_DIGEST: str | None = None
MAX_STORED_BYTES = 64 * 1024 * 1024
"""References larger than this are computed every time rather than stored."""


class NotStorable(Exception):
    """The value holds something the store does not keep (objects, non-string keys...)."""


def store_dir() -> Path | None:
    """`$MODL_CACHE_DIR/references`, else the user cache dir; None when turned off
    (`MODL_REFERENCE_STORE=off`)."""
    from modl_tutor.paths import cache_dir, turned_off

    return None if turned_off("MODL_REFERENCE_STORE") else cache_dir("references")


def _dist_version(name: str) -> str:
    """The installed version of distribution `name`, read from the name of its .dist-info
    folder, first on sys.path (as importlib.metadata finds it, ~30x cheaper: the judge reads
    this at every start). Never imports the package."""
    prefix, suffix = f"{name}-", ".dist-info"
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:
            continue
        for folder in names:
            if folder.startswith(prefix) and folder.endswith(suffix):
                return folder[len(prefix):-len(suffix)]
    return "none"


def _versions() -> str:
    return ",".join(f"{name}={_dist_version(name)}" for name in ("numpy", "torch"))


def _hash_tree(digest: Any, root: Path, pattern: str) -> None:
    for path in sorted(root.rglob(pattern)):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        digest.update(str(path.relative_to(root)).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(path.read_bytes() + b"\0")


REFERENCE_CODE = (("kernels", "*.py"), ("grading/toolkit", "*.py"),
                  ("grading", "references.py"), ("grading", "code_grade.py"))
"""The code a reference value depends on: the kernels, the toolkit checks.py files build
their inputs and references with, this encoding and the seeding of the checks' rng
(code_grade). Not the sandbox, the client or the feedback: changing those keeps the store."""


def code_digest() -> str:
    """Hash of the code references depend on and the numpy/torch versions (once per process:
    the judge server computes it before it forks, so its workers inherit it)."""
    global _CODE_DIGEST
    if _CODE_DIGEST is None:
        digest = hashlib.sha256(_versions().encode() + b"\0")
        for sub, pattern in REFERENCE_CODE:
            digest.update(f"{sub}/{pattern}\0".encode())
            _hash_tree(digest, _PACKAGE / sub, pattern)
        _CODE_DIGEST = digest.hexdigest()
    return _CODE_DIGEST


_FOLDER_DIGESTS: dict[str, tuple[tuple[Any, ...], str]] = {}


def _folder_digest(folder: Path) -> str:
    """Hash of an exercise folder's files (names and contents), read again only when a file's
    name, size, mtime or inode changed: a server asks this for every job it prepares."""
    files = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if not entry.name.startswith(".") and entry.is_file():
                info = entry.stat()
                files.append((entry.name, info.st_size, info.st_mtime_ns, info.st_ino))
    signature = tuple(sorted(files))
    cached = _FOLDER_DIGESTS.get(str(folder))
    if cached is not None and cached[0] == signature:
        return cached[1]
    digest = hashlib.sha256()
    for name, *_ in signature:
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update((folder / name).read_bytes() + b"\0")
    _FOLDER_DIGESTS[str(folder)] = (signature, digest.hexdigest())
    return digest.hexdigest()


def exercise_key(checks_path: Path, exercise_id: str, seed: str) -> str:
    """The key of an exercise's references: its files, modl's code, the id and the seed."""
    digest = hashlib.sha256(code_digest().encode() + b"\0")
    digest.update(f"{exercise_id}\0{seed}\0".encode())
    digest.update(_folder_digest(Path(checks_path).parent).encode())
    return digest.hexdigest()


def _pack(value: Any, arrays: dict[str, np.ndarray], depth: int = 0) -> Any:
    """A JSON tree of the value; arrays and NumPy scalars go to `arrays`."""
    if depth > 20:
        raise NotStorable("nested too deeply")
    if isinstance(value, (np.ndarray, np.generic)):  # first: np.float64 is a float too
        array = np.asarray(value)
        if array.dtype.hasobject or array.dtype.kind not in "biufcSU":
            raise NotStorable(f"dtype {array.dtype}")
        name = f"a{len(arrays)}"
        arrays[name] = array
        return {"a": name, "scalar": isinstance(value, np.generic)}
    if value is None or type(value) in (bool, int, str):
        return {"v": value}
    if type(value) is float:
        return {"f": repr(value)}  # nan, inf and every digit survive
    if isinstance(value, (tuple, list)):
        return {"t" if isinstance(value, tuple) else "l":
                [_pack(item, arrays, depth + 1) for item in value]}
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise NotStorable("dict keys must be strings")
        return {"d": [[k, _pack(v, arrays, depth + 1)] for k, v in value.items()]}
    raise NotStorable(type(value).__name__)


def _unpack(node: Any, arrays: Any) -> Any:
    if not isinstance(node, dict) or len(node) not in (1, 2):
        raise ValueError("malformed reference tree")
    if "v" in node:
        return node["v"]
    if "f" in node:
        return float(node["f"])
    if "a" in node:
        array = arrays[str(node["a"])]
        return array[()] if node.get("scalar") else array
    if "t" in node:
        return tuple(_unpack(item, arrays) for item in node["t"])
    if "l" in node:
        return [_unpack(item, arrays) for item in node["l"]]
    if "d" in node:
        return {str(k): _unpack(v, arrays) for k, v in node["d"]}
    raise ValueError("malformed reference tree")


def encode(value: Any) -> bytes:
    """The npz bytes of a reference value (raises NotStorable)."""
    arrays: dict[str, np.ndarray] = {}
    tree = json.dumps(_pack(value, arrays))
    try:
        return write_npz({"__tree__": np.array(tree), **arrays})
    except ValueError as err:  # a dtype `_pack` let through that the writer does not write
        raise NotStorable(str(err)) from None


def decode(data: bytes) -> Any:
    """The value from `encode`'s bytes; never unpickles (ValueError when malformed)."""
    arrays = read_npz(data)
    if arrays is None:  # not the plain layout `encode` writes: NumPy's own reader decides
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    tree = arrays.pop("__tree__", None)
    if tree is None or tree.dtype.kind != "U" or tree.shape != ():
        raise ValueError("no reference tree")
    return _unpack(json.loads(str(tree[()])), arrays)


class ReferenceStore:
    """The references of one exercise (for one seed) in `root`, one npz file per check."""

    def __init__(self, root: Path, key: str) -> None:
        self.root = Path(root)
        self.key = key

    @classmethod
    def for_exercise(cls, checks_path: Path, exercise_id: str, seed: str) -> ReferenceStore | None:
        """The store of this exercise, or None when the store is off or cannot be keyed."""
        root = store_dir()
        if root is None:
            return None
        try:
            return cls(root, exercise_key(checks_path, exercise_id, seed))
        except OSError as err:
            log.warning("reference store: cannot hash %s: %s", checks_path, err)
            return None

    def path(self, index: int, name: str) -> Path:
        check = hashlib.sha256(f"{self.key}\0{index}\0{name}".encode()).hexdigest()
        return self.root / check[:2] / f"{check}.npz"

    def load(self, index: int, name: str) -> tuple[bool, Any]:
        """(True, value) when stored and readable, else (False, None)."""
        path = self.path(index, name)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return False, None
        except OSError as err:
            log.warning("reference store: cannot read %s: %s", path, err)
            return False, None
        try:
            return True, decode(data)
        except (ValueError, KeyError, TypeError, OSError, EOFError, RecursionError,
                zipfile.BadZipFile) as err:  # a damaged or truncated file: recompute
            log.warning("reference store: %s is damaged (%s); recomputing", path, err)
            return False, None

    def save(self, index: int, name: str, value: Any) -> bool:
        """Store `value` atomically; False (and nothing written) when it cannot be stored."""
        try:
            data = encode(value)
        except NotStorable:
            return False
        if len(data) > MAX_STORED_BYTES:
            return False
        try:
            # private: references of hidden checks are as secret as their inputs
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_bytes_atomic(self.path(index, name), data, cache=True)
        except OSError as err:
            log.warning("reference store: cannot write %s: %s", self.root, err)
            return False
        return True


_MISSING = object()
MISTAKES = "\0mistakes"
"""Suffix of the entry that holds a check's known-mistake values (feedback, never a score)."""


def same_value(a: Any, b: Any) -> bool:
    """True when two reference values are the same to the bit (types, dtypes, shapes)."""
    try:
        left: dict[str, np.ndarray] = {}
        right: dict[str, np.ndarray] = {}
        if json.dumps(_pack(a, left)) != json.dumps(_pack(b, right)):
            return False
    except NotStorable:
        return False
    return all(left[k].dtype == right[k].dtype and left[k].shape == right[k].shape
               and left[k].tobytes() == right[k].tobytes() for k in left)


def _compute(check: Any) -> Any:
    try:
        return check.expected_value()
    except Exception:  # noqa: BLE001 - the judge reports a broken reference per check
        log.debug("reference of %r raised; the judge reports it", check.name, exc_info=True)
        return _MISSING


def _fresh_replaces(store: ReferenceStore, index: int, name: str, value: Any) -> None:
    """Store a freshly computed value; say so when the stored one was different."""
    found, stored = store.load(index, name)
    if found and not same_value(stored, value):
        log.warning("reference store: the stored reference of %r (check %d, %r) differed from "
                    "a fresh computation; replaced", store.key[:12], index, name)
    store.save(index, name, value)


def _resolve_mistakes(check: Any, index: int, store: ReferenceStore | None, fresh: bool,
                      compute: bool) -> None:
    """Attach the check's known-mistake values, loaded from the store or computed once."""
    name = check.name + MISTAKES
    if store is not None and not fresh:
        found, value = store.load(index, name)
        if found and isinstance(value, list) and all(
                isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) for p in value):
            check.known_mistake_values = value
            return
    check.known_mistake_values = None
    if not compute:
        return
    values = [(str(message), value) for message, value in check.mistake_values()]
    check.known_mistake_values = values
    if store is not None:
        if fresh:
            _fresh_replaces(store, index, name, values)
        else:
            store.save(index, name, values)


def resolve(checks: list[Any], store: ReferenceStore | None,
            indices: list[int] | None = None, *, fresh: bool = False,
            compute: bool = True) -> dict[int, Any]:
    """index -> reference output of each check with a `reference` kernel: loaded when stored,
    else computed (torch is imported then, and only then) and stored; known mistakes too.
    `fresh` (what `modl verify` asks): everything computed again, nothing read, and the store
    refilled (a stored value that differs is logged and replaced). Without `compute`, only
    what is stored is loaded (`unresolved` says what is left). A check whose kernel raises
    is left out: the judge computes it again and reports the error. `expected=` literals need
    no store."""
    values: dict[int, Any] = {}
    for index in range(len(checks)) if indices is None else indices:
        check = checks[index]
        if getattr(check, "reference", None) is not None:
            found, value = (store.load(index, check.name) if store is not None and not fresh
                            else (False, None))
            if not found and compute:
                value = _compute(check)
                if value is not _MISSING and store is not None:
                    if fresh:
                        _fresh_replaces(store, index, check.name, value)
                    else:
                        store.save(index, check.name, value)
            if found or (compute and value is not _MISSING):
                values[index] = value
        if getattr(check, "mistakes", None):
            _resolve_mistakes(check, index, store, fresh, compute)
    return values


def unresolved(checks: list[Any], values: dict[int, Any]) -> list[int]:
    """The checks whose reference or known-mistake values are still to be computed."""
    return [i for i, check in enumerate(checks)
            if (getattr(check, "reference", None) is not None and i not in values)
            or (getattr(check, "mistakes", None) and check.known_mistake_values is None)]
