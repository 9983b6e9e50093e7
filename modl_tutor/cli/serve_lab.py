"""`modl serve --roster CSV`: issue the links, create the workspaces, run the lab server."""

from __future__ import annotations

import socket
from pathlib import Path

import click

from modl_tutor.cli import Fail, bank
from modl_tutor.errors import ModlError


def default_public_url(host: str, port: int) -> str:
    """The address to print in links (a wildcard bind is named by this machine's name)."""
    name = socket.getfqdn() if host in ("0.0.0.0", "::", "") else host
    if ":" in name:
        name = f"[{name}]"
    return f"http://{name}:{port}"


def serve_lab(roster: Path, root: Path | None, host: str, port: int,
              public_url: str | None, allow_weak_sandbox: bool = False) -> None:
    """Everything before the server starts can fail with a one-line error; then it serves."""
    from modl_tutor.batch.verify import sandbox_warning

    warning = sandbox_warning()
    if warning and not allow_weak_sandbox:  # the same policy as `modl grade`
        raise Fail(f"refusing to serve a lab: {warning}; one student's code could read "
                   "another's workspace. Pass --allow-weak-sandbox to accept it")
    if warning:
        click.echo(f"modl: warning: {warning}", err=True)
    from modl_tutor.serve import (issue_tokens, load_roster, prepare_workspaces, student_links,
                                  token_file_for)

    url = (public_url or default_public_url(host, port)).rstrip("/")
    try:
        students = load_roster(roster)
        token_file = token_file_for(roster)
        tokens, new = issue_tokens(students, token_file)
        workspaces = prepare_workspaces(root or roster.parent / "workspaces", students, bank())
    except ModlError as err:
        raise Fail(str(err)) from None
    from modl_tutor.serve_web import LabServer

    if new:
        click.echo(f"New links ({len(new)}; shown once — they are also in {token_file}, "
                   "readable by you only):")
        for line in student_links(url, tokens, new):
            click.echo(line)
    kept = len(students) - len(new)
    if kept:
        click.echo(f"{kept} students keep the links issued earlier (in {token_file}).")
    click.echo(f"Workspaces in {next(iter(workspaces.values())).parent}; serving on "
               f"{host}:{port} (Ctrl+C stops).")
    LabServer(tokens, workspaces, host=host, port=port, public_url=url).serve()
