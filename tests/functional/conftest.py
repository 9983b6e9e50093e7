"""Functional tests run commands in-process: they borrow the warm shared grader."""

import pytest


@pytest.fixture(autouse=True)
def _warm_grader(borrowed_grader):  # type: ignore[no-untyped-def]
    return borrowed_grader
