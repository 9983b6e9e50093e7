"""Shared fixtures: the real bank, fresh workspaces, a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from modl_tutor import paths
from modl_tutor.bank.loader import Bank, load_bank
from modl_tutor.workspace.workspace import Workspace, init_workspace

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _no_shared_verdict_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read or write the user's verdict cache (its own tests turn it back on)."""
    monkeypatch.setenv("MODL_VERDICT_CACHE", "off")


@pytest.fixture(scope="session")
def bank() -> Bank:
    return load_bank(paths.exercises_dir())


@pytest.fixture()
def workspace(tmp_path: Path, bank: Bank, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    root = tmp_path / "ws"
    init_workspace(root, bank, student="tester")
    monkeypatch.setenv("MODL_WORKSPACE", str(tmp_path / "default-ws"))
    return Workspace(root)


@pytest.fixture()
def solved_workspace(workspace: Workspace, bank: Bank) -> Workspace:
    """A workspace whose code files are the reference solutions."""
    for exercise in bank:
        if exercise.is_code:
            source = bank.solutions_root / exercise.topic / f"{exercise.slug}.py"
            shutil.copy(source, workspace.code_path(exercise))
    return workspace


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def make_exercise(tmp_path: Path):
    """Write an exercise folder under a temporary bank and return its directory."""

    def make(toml: str, *, topic: str = "derivatives", slug: str = "demo",
             prompt: str = "# Demo\n", files: dict[str, str] | None = None) -> Path:
        directory = tmp_path / "bank" / "exercises" / topic / slug
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "exercise.toml").write_text(toml, encoding="utf-8")
        if prompt is not None:
            (directory / "prompt.md").write_text(prompt, encoding="utf-8")
        for name, text in (files or {}).items():
            (directory / name).write_text(text, encoding="utf-8")
        return directory

    return make


@pytest.fixture(scope="session")
def judge_in_process():  # type: ignore[no-untyped-def]
    """Let this test process act as the judge: a real student runner, its control socket
    handed to `grading.code_grade` (as the judge server does at start)."""
    from modl_tutor.grading import code_grade
    from modl_tutor.grading.client import StudentRunner

    with StudentRunner() as runner:
        assert runner.control is not None
        saved = code_grade.CONTROL_FD
        code_grade.CONTROL_FD = runner.control.fileno()
        try:
            yield runner
        finally:
            code_grade.CONTROL_FD = saved


@pytest.fixture(scope="session")
def shared_grader():  # type: ignore[no-untyped-def]
    """One warm grader (judge + student runner, default sandbox mode) per test process: torch
    is paid once per xdist worker, not once per module."""
    from modl_tutor.grading.client import CodeGrader

    with CodeGrader(jobs=2) as grader:
        grader.start()
        yield grader


def pytest_xdist_auto_num_workers(config):  # type: ignore[no-untyped-def]
    """`-n auto`: two workers per core. Much of the suite waits (the app settling, servers and
    subprocesses starting, sandboxed children): a second worker per core keeps the CPUs busy."""
    import os

    return max(2, 2 * (os.cpu_count() or 1))


class _Borrowed:
    """The shared grader lent to code that would start its own (closing it is a no-op)."""

    def __init__(self, grader):  # type: ignore[no-untyped-def]
        self._grader = grader

    def __getattr__(self, name):  # type: ignore[no-untyped-def]
        return getattr(self._grader, name)

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self

    def __exit__(self, *exc):  # type: ignore[no-untyped-def]
        return None

    def wind_down(self) -> None:
        return None

    def close(self) -> None:
        return None


@pytest.fixture()
def borrowed_grader(shared_grader, monkeypatch):  # type: ignore[no-untyped-def]
    """Commands run in-process (CliRunner) grade with the warm shared grader instead of
    starting a judge and a runner each (the sandbox and its tests are elsewhere); `modl
    verify` and batch grading without a grader (`modl report`) too: their modules hold their
    own name for the class."""
    from modl_tutor.batch import runner as batch_runner
    from modl_tutor.batch import verify
    from modl_tutor.grading import client

    def lend(*args, **kwargs):  # type: ignore[no-untyped-def]
        return _Borrowed(shared_grader)

    monkeypatch.setattr(client, "CodeGrader", lend)
    monkeypatch.setattr(verify, "CodeGrader", lend)
    monkeypatch.setattr(batch_runner, "CodeGrader", lend)
    return shared_grader


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    """A headless Chromium driven by Playwright (skipped where either is missing)."""
    import shutil

    sync_api = pytest.importorskip("playwright.sync_api")
    chromium_path = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium_path is None:
        pytest.skip("no chromium installed")
    with sync_api.sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=chromium_path, headless=True,
                                                  args=["--no-sandbox"])
        except Exception as err:  # noqa: BLE001 - a browser that cannot start here: skip
            pytest.skip(f"chromium does not start: {err}")
        yield chromium
        chromium.close()
