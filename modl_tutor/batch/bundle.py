"""`modl gradescope-bundle`: a Gradescope autograder zip (setup.sh, run_autograder, modl, the bank)."""

from __future__ import annotations

import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from modl_tutor import __version__, paths
from modl_tutor.atomic import write_bytes_atomic
from modl_tutor.errors import ModlError

ROOT_ENV = "MODL_AUTOGRADER_ROOT"
"""Overrides /autograder in setup.sh and run_autograder (tests lay out a temporary root)."""

_SKIP_DIRS = {"__pycache__", ".git", ".venv", "build", "dist", ".pytest_cache", ".hypothesis",
              ".modl", "node_modules"}
_SOURCE_PARTS = ("pyproject.toml", "README.md", "LICENSE", "LICENSE.md", "LICENSE.txt",
                 "modl_tutor", "exercises", "solutions")


class BundleError(ModlError):
    """The bundle cannot be built as asked (bad --source/--bank, unwritable output)."""


@dataclass
class BundleInfo:
    """What went into a bundle."""

    path: Path
    source: str
    exercises: list[str] = field(default_factory=list)
    files: int = 0


def _checkout() -> Path | None:
    """The source tree this package runs from, when it is one (not an installed wheel)."""
    here = Path(__file__).resolve().parent.parent.parent
    return here if (here / "pyproject.toml").is_file() and (here / "modl_tutor").is_dir() \
        else None


def _walk(root: Path) -> list[Path]:
    files: list[Path] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.endswith(".egg-info"))
        files.extend(Path(folder) / n for n in sorted(names)
                     if not n.endswith((".pyc", ".pyo")) and not n.startswith(".#"))
    return files


_NO_SOLUTIONS = b"Reference solutions are not shipped in the autograder bundle.\n"


def _template(name: str) -> str:
    return resources.files("modl_tutor.batch").joinpath("autograder", name).read_text("utf-8")


def _torch_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("torch").split("+")[0]
    except metadata.PackageNotFoundError:
        return "2.13.0"


class _Zip:
    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.zip = zipfile.ZipFile(self.buffer, "w", compression=zipfile.ZIP_DEFLATED)
        self.count = 0

    def add_bytes(self, name: str, data: bytes, mode: int = 0o644) -> None:
        info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        info.external_attr = (0o100000 | mode) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        self.zip.writestr(info, data)
        self.count += 1

    def add_tree(self, root: Path, prefix: str, *, only_suffix: str = "") -> None:
        """Add every file under `root` as `prefix/<relative path>`."""
        for path in _walk(root):
            if only_suffix and path.suffix != only_suffix:
                continue
            self.add_bytes(f"{prefix}/{path.relative_to(root).as_posix()}", path.read_bytes())

    def close(self) -> bytes:
        self.zip.close()
        return self.buffer.getvalue()


def _add_solutions(bundle: _Zip, folder: Path, prefix: str) -> None:
    """Worked solutions (.md) only: student code runs on the machine that holds the bundle."""
    bundle.add_tree(folder, prefix, only_suffix=".md")
    if not (folder / "README.md").is_file():
        bundle.add_bytes(f"{prefix}/README.md", _NO_SOLUTIONS)


def _add_source(bundle: _Zip, source: Path) -> str:
    if source.is_file():
        if not source.name.endswith((".whl", ".tar.gz", ".zip")):
            raise BundleError(f"--source {source}: expected a wheel (.whl), an sdist (.tar.gz) "
                              "or a source folder")
        bundle.add_bytes(f"modl/{source.name}", source.read_bytes())
        return f"package {source.name}"
    if not (source / "pyproject.toml").is_file() or not (source / "modl_tutor").is_dir():
        raise BundleError(f"--source {source}: not a modl-tutor source folder (no pyproject.toml "
                          "and modl_tutor/)")
    for part in _SOURCE_PARTS:
        path = source / part
        if path.is_file():
            bundle.add_bytes(f"modl/src/{part}", path.read_bytes())
        elif path.is_dir() and part == "solutions":
            _add_solutions(bundle, path, "modl/src/solutions")
        elif path.is_dir():
            bundle.add_tree(path, f"modl/src/{part}")
    return f"source tree {source}"


def build_bundle(out: Path | str, *, source: Path | str | None = None,
                 bank: Path | str | None = None) -> BundleInfo:
    """Write the autograder zip to `out` (atomically) and describe what it holds.

    `source`: a modl-tutor source folder, wheel or sdist (default: this checkout).
    `bank`: a folder with `exercises/` (and `solutions/`) (default: the bank in use).
    """
    from modl_tutor.bank.loader import load_bank, validate_bank

    out = Path(out)
    if out.is_dir():
        raise BundleError(f"{out}: is a folder; name the zip file to write")
    chosen = Path(source) if source is not None else _checkout()
    if chosen is None:
        raise BundleError("this modl is an installed package, not a source folder: pass "
                          "--source with a modl-tutor source folder, wheel or sdist")
    if not chosen.exists():
        raise BundleError(f"--source {chosen}: not found")
    bank_root = Path(bank) if bank is not None else paths.bank_root()
    exercises_dir = bank_root / "exercises"
    if not exercises_dir.is_dir():
        raise BundleError(f"--bank {bank_root}: has no exercises/ folder")
    problems = validate_bank(exercises_dir)
    if problems:
        raise BundleError(f"the bank is not valid ({len(problems)} problem(s); run `modl "
                          f"verify`): {problems[0]}")
    exercises = [e.id for e in load_bank(exercises_dir, cached=False)]
    bundle = _Zip()
    bundle.add_bytes("setup.sh", _template("setup.sh").replace(
        "@TORCH_VERSION@", _torch_version()).encode(), 0o755)
    bundle.add_bytes("run_autograder", _template("run_autograder").encode(), 0o755)
    described = _add_source(bundle, chosen.resolve())
    bundle.add_tree(exercises_dir, "bank/exercises")
    if (bank_root / "solutions").is_dir():
        _add_solutions(bundle, bank_root / "solutions", "bank/solutions")
    bundle.add_bytes("bundle.json", json.dumps({
        "modl_version": __version__, "torch": _torch_version(), "source": described,
        "exercises": exercises}, indent=2).encode())
    data = bundle.close()
    try:
        write_bytes_atomic(out, data)
    except OSError as err:
        raise BundleError(f"{out}: cannot be written ({err.strerror or err})") from None
    return BundleInfo(path=out, source=described, exercises=exercises, files=bundle.count)
