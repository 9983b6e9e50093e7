"""The `modl` command line: the click group, shared options, and Ctrl+C / --debug handling."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from modl_tutor.errors import ModlError
from modl_tutor.log import setup_logging

F = TypeVar("F", bound=Callable[..., Any])
INTERRUPTED = 130
"""Exit status after Ctrl+C (128 + SIGINT), as shells report it."""


class Fail(click.ClickException):
    """A one-line error with exit status 2 (usage or input error), never a traceback."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"modl: error: {self.message}", err=True)


class ModlGroup(click.Group):
    """The `modl` group: Ctrl+C anywhere ends the command with status 130."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("\nmodl: interrupted", err=True)
            raise click.exceptions.Exit(INTERRUPTED) from None

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        as_script = args is None
        try:
            return super().main(args, *rest, **kwargs)
        except SystemExit as stop:
            if as_script and stop.code == INTERRUPTED:
                # Threads still busy with an abandoned grading job must not delay the exit;
                # everything the command writes is atomic, so nothing is left half-written.
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(INTERRUPTED)
            raise


def fail(message: str) -> NoReturn:
    raise Fail(message)


def exit_with(code: int) -> NoReturn:
    sys.exit(code)


def workspace_option(function: F) -> F:
    """`--workspace/-w DIR` on a subcommand (the group's `-w` is used when it is absent)."""
    return click.option("--workspace", "-w", "workspace_opt", metavar="DIR",
                        help="Workspace folder (default: the group's -w, else the current "
                             "folder if it is a workspace, else your default workspace).")(function)


def bank(cached: bool = True):  # type: ignore[no-untyped-def]
    """The installed bank (instructor commands pass `cached=False`: see `load_bank`)."""
    from modl_tutor.bank.loader import default_bank

    try:
        return default_bank(cached)
    except ModlError as err:
        raise Fail(str(err)) from None


def chosen_workspace(option: str | None = None) -> str | None:
    """The workspace named on this subcommand, else on the group (`modl -w DIR ...`)."""
    if option:
        return option
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx is not None else None
    return (root.obj or {}).get("workspace") if root is not None else None


def workspace_root(option: str | None = None, *, create: bool = True) -> Path:
    """The workspace folder to use: -w, else the one around the cwd, else the default one
    (saying so on stderr, with its full path)."""
    from modl_tutor.workspace.workspace import (default_workspace, find_workspace,
                                                init_workspace, is_workspace)

    named = chosen_workspace(option)
    if named:
        root = Path(named).expanduser()
        if not root.is_dir():
            raise Fail(f"{root.absolute()}: workspace folder not found "
                       f"(create one with `modl init {named}`)")
        return root
    found = find_workspace()
    if found is not None:
        return found
    root = default_workspace().absolute()
    if not is_workspace(root):
        if not create:
            raise Fail("no workspace here; run `modl init DIR` or pass --workspace DIR")
        try:
            init_workspace(root, bank())
        except ModlError as err:
            raise Fail(str(err)) from None
        click.echo(f"modl: created your default workspace in {root}", err=True)
    else:
        click.echo(f"modl: not in a workspace folder; using your default workspace {root} "
                   "(choose another with -w DIR)", err=True)
    return root


def tutor(option: str | None = None):  # type: ignore[no-untyped-def]
    """The tutor service on the chosen workspace (a bad workspace is a one-line error)."""
    from modl_tutor.tutor import Tutor

    root = workspace_root(option)
    try:
        return Tutor.open(root, bank())
    except ModlError as err:
        raise Fail(str(err)) from None


def exercise(exercise_id: str):  # type: ignore[no-untyped-def]
    """The bank's exercise (checked before any workspace is looked for or created)."""
    try:
        return bank().get(exercise_id)
    except ModlError as err:
        raise Fail(str(err)) from None


@click.group(cls=ModlGroup, invoke_without_command=True)
@click.option("--workspace", "-w", "workspace_opt", metavar="DIR",
              help="Workspace folder for every command (default: the current one, else your "
                   "default workspace).")
@click.option("--debug", is_flag=True, envvar="MODL_DEBUG",
              help="Show unexpected errors with their traceback on stderr (or MODL_DEBUG=1).")
@click.version_option(package_name="modl-tutor", prog_name="modl")
@click.pass_context
def main(ctx: click.Context, workspace_opt: str | None, debug: bool) -> None:
    """modl-tutor: practise the Mathematics of Deep Learning in your terminal.

    Run `modl` alone to open the app.
    """
    ctx.obj = {"workspace": workspace_opt}
    setup_logging(debug or None)
    if ctx.invoked_subcommand is None:
        from modl_tutor.tui.app import run_app

        run_app(workspace_root(workspace_opt))


from modl_tutor.cli import doctor, instructor, student  # noqa: E402,F401  (registers the commands)
