"""Where the exercise bank and the reference solutions live (checkout, wheel, or $MODL_BANK)."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bank_root() -> Path:
    """The folder that holds `exercises/` and `solutions/`.

    Order: `$MODL_BANK`, then the source checkout this package sits in, then the copy
    bundled inside the installed wheel (`modl_tutor/_bank`).
    """
    env = os.environ.get("MODL_BANK")
    if env:
        return Path(env).expanduser().resolve()
    checkout = _PACKAGE.parent
    if (checkout / "exercises").is_dir():
        return checkout
    return _PACKAGE / "_bank"


def cache_dir(name: str = "") -> Path:
    """Where modl keeps what it can recompute: `$MODL_CACHE_DIR`, else the user cache folder
    of modl-tutor (platformdirs); `name` is a file or folder inside it (one per cache)."""
    env = os.environ.get("MODL_CACHE_DIR")
    if env:
        root = Path(env).expanduser()
    else:
        import platformdirs

        root = Path(platformdirs.user_cache_dir("modl-tutor"))
    return root / name if name else root


def turned_off(variable: str) -> bool:
    """Whether the environment turns a cache off (`off`, `0`, `no` or `false`)."""
    return os.environ.get(variable, "").strip().lower() in ("off", "0", "no", "false")


def exercises_dir() -> Path:
    """The `exercises/` folder of the bank."""
    return bank_root() / "exercises"


def solutions_dir() -> Path:
    """The `solutions/` folder of the bank."""
    return bank_root() / "solutions"
