"""The `modl` logger: silent by default, tracebacks on stderr with `--debug` or MODL_DEBUG=1."""

from __future__ import annotations

import logging
import os
import sys

logger = logging.getLogger("modl")
logger.addHandler(logging.NullHandler())
logger.propagate = False


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a record arrives (test runners swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def debug_requested() -> bool:
    """True when MODL_DEBUG is set to something other than '', '0', 'false' or 'no'."""
    return os.environ.get("MODL_DEBUG", "").strip().lower() not in ("", "0", "false", "no")


def setup_logging(debug: bool | None = None) -> None:
    """Show the `modl` logger's records (with tracebacks) on stderr when debugging."""
    debug = debug_requested() if debug is None else debug
    ours = [h for h in logger.handlers if isinstance(h, _StderrHandler)]
    if not debug:
        for handler in ours:
            logger.removeHandler(handler)
        logger.setLevel(logging.WARNING)
        return
    if not ours:
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("modl: debug: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


def log_exception(message: str) -> None:
    """Record the exception being handled (with its traceback) under `message`."""
    logger.debug(message, exc_info=True)
