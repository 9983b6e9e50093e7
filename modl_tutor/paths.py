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


def exercises_dir() -> Path:
    """The `exercises/` folder of the bank."""
    return bank_root() / "exercises"


def solutions_dir() -> Path:
    """The `solutions/` folder of the bank."""
    return bank_root() / "solutions"
