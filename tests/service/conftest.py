"""Fixtures of the tutor-service tests: a small frozen bank (math only, or with softmax)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from modl_tutor.bank.loader import Bank, default_bank, load_bank
from modl_tutor.tutor import Tutor
from modl_tutor.workspace.workspace import init_workspace

TUI_BANK = Path(__file__).resolve().parent.parent / "tui" / "bank"
MATH = ("derivatives/sigmoid_prime", "derivatives/activation_choice",
        "backprop/logistic_worked_example")


@pytest.fixture(scope="session")
def math_bank_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bank folder with the frozen math exercises only: `modl grade` never starts torch."""
    root = tmp_path_factory.mktemp("math-bank")
    for exercise_id in MATH:
        shutil.copytree(TUI_BANK / "exercises" / exercise_id, root / "exercises" / exercise_id)
    (root / "solutions").mkdir()
    return root


@pytest.fixture()
def math_env(math_bank_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Bank:
    """MODL_BANK at the math bank, a default workspace under tmp_path, cwd outside both."""
    monkeypatch.setenv("MODL_BANK", str(math_bank_root))
    monkeypatch.setenv("MODL_WORKSPACE", str(tmp_path / "default-ws"))
    monkeypatch.setenv("MODL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    default_bank.cache_clear()
    yield load_bank(math_bank_root / "exercises")
    default_bank.cache_clear()


@pytest.fixture()
def ws(math_env: Bank, tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    init_workspace(root, math_env, student="tester")
    return root


@pytest.fixture()
def tutor(ws: Path, math_env: Bank) -> Tutor:
    return Tutor.open(ws, math_env)


@pytest.fixture()
def cli() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    """Async (Pilot) tests run on asyncio through anyio's pytest plugin."""
    return "asyncio"


@pytest.fixture(autouse=True)
def _warm_grader(borrowed_grader):  # type: ignore[no-untyped-def]
    """Service tests borrow the warm shared grader (see tests/conftest.py)."""
    return borrowed_grader
