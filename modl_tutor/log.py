"""The `modl` logger: silent by default, tracebacks on stderr with `--debug` or MODL_DEBUG=1."""

from __future__ import annotations

import logging
import os

logger = logging.getLogger("modl")
logger.addHandler(logging.NullHandler())
logger.propagate = False

_HANDLER_NAME = "modl-debug"


def debug_requested() -> bool:
    """True when MODL_DEBUG is set to something other than '', '0', 'false' or 'no'."""
    return os.environ.get("MODL_DEBUG", "").strip().lower() not in ("", "0", "false", "no")


def setup_logging(debug: bool | None = None) -> None:
    """Show the `modl` logger's records (with tracebacks) on stderr when debugging."""
    debug = debug_requested() if debug is None else debug
    if not debug:
        return
    if any(h.get_name() == _HANDLER_NAME for h in logger.handlers):
        return
    handler = logging.StreamHandler()
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter("modl: debug: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


def log_exception(message: str) -> None:
    """Record the exception being handled (with its traceback) under `message`."""
    logger.debug(message, exc_info=True)
