"""`modl doctor`: what this machine gives modl — Python, NumPy, torch, the sandbox and what it
protects here, the workspace and data folders — and the command that fixes what is missing."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import click

from modl_tutor.cli import chosen_workspace, exit_with, main
from modl_tutor.log import logger as log

TORCH_FIX = "pip install torch==2.13.0  (CPU build: add --index-url https://download.pytorch.org/whl/cpu)"


def _version(package: str) -> str | None:
    from importlib import metadata  # ~20 ms: paid by `modl doctor`, not by every command

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def protections(caps: dict) -> list[str]:  # type: ignore[type-arg]
    """What the sandbox enforces here, one phrase each (from the runner's capabilities)."""
    found = []
    if caps.get("filesystem"):
        found.append(f"file system: {caps.get('view') or 'private view'}")
    if caps.get("network"):
        found.append("network: none (own network namespace)")
    if caps.get("pid_namespace"):
        found.append("processes: own PID namespace, all killed with the job")
    if caps.get("privileges_dropped"):
        found.append("privileges: dropped (unprivileged uid or user namespace)")
    found.append("limits: " + ", ".join(caps.get("limits") or []))
    return found


@main.command()
def doctor() -> None:
    """Check this machine: Python, NumPy, torch, the sandbox, folders; say how to fix gaps."""
    from modl_tutor import paths

    problems: list[tuple[str, str]] = []
    click.echo(f"python   {platform.python_version()} ({sys.executable}) on {sys.platform}")
    if sys.version_info < (3, 11):
        problems.append(("Python 3.11 or newer is needed", "install Python 3.11+"))
    numpy_version = _version("numpy")
    click.echo(f"numpy    {numpy_version or 'MISSING'}")
    if numpy_version is None:
        problems.append(("numpy is missing", "pip install numpy"))
    torch_version = _version("torch")
    click.echo(f"torch    {torch_version or 'MISSING'} (imported only when a reference is not "
               "yet stored)")
    if torch_version is None:
        problems.append(("torch is missing: code exercises cannot be graded", TORCH_FIX))
    try:
        from modl_tutor.grading.client import probe_capabilities

        caps = probe_capabilities()
    except Exception as err:  # noqa: BLE001 - doctor reports, never crashes
        log.debug("the sandbox probe failed", exc_info=True)
        caps = {}
        problems.append((f"the sandbox could not start ({type(err).__name__}: {err})",
                         "run `modl --debug doctor` and report the message"))
    if caps:
        click.echo(f"sandbox  {caps.get('mode')}")
        for line in protections(caps):
            click.echo(f"         - {line}")
        if caps.get("warning"):
            click.echo(f"         ! {caps['warning']}")
            click.echo("         (fine on your own laptop; `modl grade` for a class needs "
                       "--allow-weak-sandbox here)")
    from modl_tutor.workspace.workspace import default_workspace, find_workspace

    named = chosen_workspace()
    found = Path(named) if named else find_workspace()
    click.echo(f"workspace {found}" if found else
               f"workspace {default_workspace()} (the default: no workspace here)")
    click.echo(f"bank     {paths.exercises_dir()}")
    try:
        import platformdirs

        click.echo(f"data     {platformdirs.user_data_dir('modl-tutor')}")
        click.echo(f"cache    {paths.cache_dir()}")
    except ImportError:
        problems.append(("platformdirs is missing", "pip install -e ."))
    for problem, fix in problems:
        click.echo(f"✗ {problem}\n  fix: {fix}", err=True)
    if problems:
        exit_with(1)
    click.echo("✓ ready")
