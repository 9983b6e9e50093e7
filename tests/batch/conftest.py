"""A temporary bank (see helpers.py), one shared grading server per test module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from modl_tutor.bank.loader import Bank, default_bank, load_bank
from modl_tutor.grading.client import CodeGrader
from tests.batch.helpers import write_bank


@pytest.fixture(scope="module")
def bank_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bank")
    write_bank(root)
    return root


@pytest.fixture(scope="module")
def small_bank(bank_root: Path) -> Bank:
    return load_bank(bank_root / "exercises")


@pytest.fixture(scope="module")
def grader(shared_grader: CodeGrader) -> Iterator[CodeGrader]:
    yield shared_grader


@pytest.fixture()
def use_bank(bank_root: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Point the CLI at the temporary bank (and a private cache) for one test."""
    monkeypatch.setenv("MODL_BANK", str(bank_root))
    monkeypatch.setenv("MODL_CACHE_DIR", str(tmp_path / "cache"))
    default_bank.cache_clear()
    yield bank_root
    default_bank.cache_clear()


@pytest.fixture()
def runner_cli():  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture(autouse=True)
def _warm_grader(borrowed_grader):  # type: ignore[no-untyped-def]
    """CLI runs in these tests borrow the warm shared grader (see tests/conftest.py)."""
    return borrowed_grader
