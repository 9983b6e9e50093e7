"""A started grader or student runner in a given sandbox mode, for the tests that run once per
mode (namespaces, limits): skipped where this machine cannot give that mode."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest

T = TypeVar("T")


def started_in_mode(mode: str | None, make: Callable[[], T]) -> T:
    """`make()` started with MODL_SANDBOX set for `mode` ("limits"; "namespaces" or None:
    this machine's own mode), the environment restored after."""
    saved = os.environ.get("MODL_SANDBOX")
    if mode == "limits":
        os.environ["MODL_SANDBOX"] = "limits"
    else:
        os.environ.pop("MODL_SANDBOX", None)
    own = make()
    try:
        own.start()  # type: ignore[attr-defined]
    finally:
        if saved is None:
            os.environ.pop("MODL_SANDBOX", None)
        else:
            os.environ["MODL_SANDBOX"] = saved
    return own


def in_mode(mode: str, make: Callable[[], Any]) -> Iterator[Any]:
    """A fixture's body: `make()` started in `mode`, skipped where that mode is unavailable,
    closed at the end."""
    own = started_in_mode(mode, make)
    if own.capabilities.get("mode") != mode:
        own.close()
        pytest.skip(f"{mode} sandbox unavailable: {own.capabilities.get('reason')}")
    yield own
    own.close()
