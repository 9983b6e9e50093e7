"""The student's commands: init, list, show, answer, check, hint, watch, serve (all thin)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from modl_tutor.cli import (Fail, bank, chosen_workspace, exercise, exit_with, main, tutor,
                            workspace_option)
from modl_tutor.errors import ModlError

ANSWER_EXIT = {"correct": 0, "wrong": 1, "invalid": 2, "missing": 2, "undecided": 3,
               "timeout": 3}
"""`modl answer`'s exit status per outcome (3: not decided or not graded, never a final 0)."""


@main.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--student", metavar="ID", help="Student id (chooses your exercise variants).")
@click.option("--force", is_flag=True, help="Add missing files to an existing workspace.")
@workspace_option
def init(directory: str | None, student: str | None, force: bool,
         workspace_opt: str | None) -> None:
    """Create a workspace in DIRECTORY (default: -w DIR, else the current folder)."""
    from modl_tutor.workspace.workspace import init_workspace

    target = Path(directory or chosen_workspace(workspace_opt) or ".")
    try:
        created = init_workspace(target, bank(), student=student, force=force)
    except ModlError as err:
        raise Fail(str(err)) from None
    click.echo(f"Workspace ready in {target.resolve()} ({len(created)} files created).")
    click.echo("Next: `modl` opens the app; `modl list` shows the exercises; "
               "`modl check losses/softmax` grades one.")


@main.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@workspace_option
def list_cmd(as_json: bool, workspace_opt: str | None) -> None:
    """List exercises with topic, kind, points and your status (your grade now)."""
    service = tutor(workspace_opt)
    try:
        statuses = service.statuses()
    except ModlError as err:
        raise Fail(str(err)) from None
    rows = [{"id": e.id, "topic": e.topic, "title": e.title, "kind": e.kind,
             "points": e.points, "difficulty": e.difficulty, **statuses[e.id].to_dict()}
            for e in service.bank]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    width = max((len(r["id"]) for r in rows), default=10)
    for e in service.bank:
        status = statuses[e.id]
        mark, style = status.mark
        line = (f"{click.style(mark, fg=None if style == 'dim' else style)} {e.id:<{width}}  "
                f"{e.kind:<10} {e.points:>4g} pt  {e.title}")
        if status.state not in ("done", "new", "attempted") or status.gave_up:
            line += click.style(f"  [{status.label}]", dim=True)
        if status.history:
            line += click.style(f"  ({status.history})", dim=True)
        click.echo(line)


@main.command()
@click.argument("exercise_id", metavar="ID")
@workspace_option
def show(exercise_id: str, workspace_opt: str | None) -> None:
    """Print the prompt of exercise ID."""
    from modl_tutor.reports.prompt import print_prompt

    chosen = exercise(exercise_id)
    service = tutor(workspace_opt)
    print_prompt(service.for_student(chosen), service.workspace, service.seed)


class _AnswerCommand(click.Command):
    """`modl answer ID -alpha*exp(x)`: an argument that starts with '-' but is not one of the
    command's options is the answer (an expression), not a cluster of short options."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        names = {n for p in self.params for n in getattr(p, "opts", []) + getattr(p, "secondary_opts", [])}
        names |= set(ctx.help_option_names)  # `modl answer --help` is help, not an answer
        keep, answers, takes_value = [], [], False
        for arg in args:
            option = arg.split("=", 1)[0]
            if not takes_value and arg.startswith("-") and arg != "--" and option not in names:
                answers.append(arg)
                continue
            takes_value = option in names and "=" not in arg and not any(
                option in p.opts and getattr(p, "is_flag", False) for p in self.params)
            keep.append(arg)
        return super().parse_args(ctx, keep + (["--", *answers] if answers else []))


STEPS_LIMIT = 64 * 1024
"""Largest `--steps` file read (a derivation has at most a few dozen short lines)."""


def _read_steps(path: str) -> str:
    """The lines of a `--steps` file ('-' = standard input), bounded; Fail on any problem."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(STEPS_LIMIT + 1)
        else:
            with open(path, "rb") as handle:
                data = handle.read(STEPS_LIMIT + 1)
    except OSError as err:
        raise Fail(f"{path}: cannot be read ({err.strerror or err})") from None
    if len(data) > STEPS_LIMIT:
        raise Fail(f"{path}: too large for a derivation (more than {STEPS_LIMIT // 1024} KB)")
    try:
        return data.decode("utf-8").replace("\r\n", "\n").rstrip("\n")
    except UnicodeDecodeError as err:
        raise Fail(f"{path}: not UTF-8 text (byte {err.start})") from None


@main.command(cls=_AnswerCommand, context_settings={"ignore_unknown_options": True})
@click.argument("exercise_id", metavar="ID")
@click.argument("answer", required=False)
@click.option("--part", "-p", metavar="P", help="Which part of a multi-part exercise.")
@click.option("--steps", "steps_file", metavar="FILE",
              help="A derivation, one step per line ('-' reads standard input).")
@workspace_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def answer(exercise_id: str, answer: str | None, part: str | None, steps_file: str | None,
           workspace_opt: str | None, as_json: bool) -> None:
    """Check a math ANSWER to exercise ID and record it in answers.toml (a derivation:
    --steps FILE, one step per line)."""
    from modl_tutor.bank.models import SINGLE_PART

    chosen = exercise(exercise_id)
    service = tutor(workspace_opt)
    if steps_file is not None:
        if chosen.kind != "derivation":
            raise Fail(f"{chosen.id} is not a derivation exercise: give the answer itself, "
                       "without --steps")
        if answer is not None:
            raise Fail("give either ANSWER or --steps FILE, not both")
        answer = _read_steps(steps_file)
    if answer is None:
        raise Fail("missing ANSWER" + (" (or --steps FILE, one step per line)"
                                       if chosen.kind == "derivation" else ""))
    if chosen.is_code:
        raise Fail(f"{chosen.id} is a code exercise: edit {service.workspace.code_path(chosen)}"
                   f", then run `modl check {chosen.id}`")
    names = [p.name for p in chosen.parts]
    if chosen.is_multipart and part is None:
        raise Fail(f"{chosen.id} has parts {', '.join(names)}: choose one with --part")
    part = part or SINGLE_PART
    if part not in names:
        raise Fail(f"{chosen.id} has no part {part!r} (parts: {', '.join(names)})")
    if not answer.strip():
        raise Fail("the answer is empty")
    try:
        submission = service.record(service.check(chosen, {part: answer}))
    except ModlError as err:
        raise Fail(str(err)) from None
    outcome = submission.outcomes[part]
    if submission.warning():
        click.echo(f"modl: warning: {submission.warning()} in "
                   f"{service.workspace.answers_path.absolute()}", err=True)
    result = submission.result
    if as_json:
        from modl_tutor.tutor import marks_of

        data = {"id": chosen.id, "part": part, "status": outcome.status,
                "correct": outcome.status == "correct", "score": outcome.score,
                "max_score": outcome.max_score, "message": outcome.message,
                "preview": outcome.preview, "recorded": part in submission.saved,
                "exercise": result.to_dict()}
        if chosen.kind == "derivation" or getattr(outcome, "lines", ()):
            data["lines"] = marks_of(outcome)
        click.echo(json.dumps(data, indent=2))
    else:
        from rich.console import Console

        from modl_tutor.reports.terminal import answer_line

        if outcome.preview:
            click.echo(outcome.preview)
        Console().print(answer_line(outcome.status, outcome.score, outcome.max_score,
                                    outcome.message))
        if chosen.is_multipart:
            click.echo(click.style(f"{chosen.id}: {result.score:g}/{result.max_score:g} "
                                   f"({service.status(chosen).label})", dim=True))
    exit_with(ANSWER_EXIT.get(outcome.status, 1))


@main.command()
@click.argument("exercise_id", metavar="ID")
@workspace_option
@click.option("--json", "as_json", is_flag=True, help="Print the exercise result as JSON.")
def check(exercise_id: str, workspace_opt: str | None, as_json: bool) -> None:
    """Grade exercise ID from your workspace (exit 0 full marks, 1 not, 2 error, 3 not
    graded: the grader ran out of its own time)."""
    from modl_tutor.reports.terminal import print_exercise

    chosen = exercise(exercise_id)
    with tutor(workspace_opt) as service:
        source = service.workspace.code_path(chosen) if chosen.is_code \
            else service.workspace.answers_path
        try:
            result = service.grade(chosen)
            marks = service.line_marks(chosen) if as_json else {}
        except ModlError as err:
            raise Fail(str(err)) from None
    if as_json:
        data = result.to_dict()
        for check_data in data["checks"]:
            if check_data["name"] in marks:
                check_data["lines"] = marks[check_data["name"]]
        click.echo(json.dumps(data, indent=2))
    else:
        print_exercise(result)
        click.echo(click.style(f"graded {source.absolute()}", dim=True))
    exit_with(0 if result.full_marks else 2 if result.status == "error"
              else 3 if result.status == "not_graded" else 1)


@main.command()
@click.argument("exercise_id", metavar="ID")
@workspace_option
def hint(exercise_id: str, workspace_opt: str | None) -> None:
    """Show the next hint of exercise ID."""
    chosen = exercise(exercise_id)
    service = tutor(workspace_opt)
    if not chosen.hints:
        click.echo("This exercise has no hints.")
        return
    shown = service.reveal_hint(chosen)
    for number in range(1, shown + 1):
        click.echo(click.style(f"Hint {number}/{len(chosen.hints)}: ", bold=True)
                   + chosen.hints[number - 1])
    if shown == len(chosen.hints):
        click.echo(click.style("That was the last hint.", dim=True))


@main.command()
@workspace_option
def watch(workspace_opt: str | None) -> None:
    """Re-grade each code exercise when you save its file (Ctrl+C to stop)."""
    from modl_tutor.watch import run_watch

    with tutor(workspace_opt) as service:
        try:
            run_watch(tutor=service)
        except ModlError as err:
            raise Fail(str(err)) from None


@main.command()
@workspace_option
@click.option("--host", default="localhost", show_default=True,
              help="Interface to listen on (only loopback without --roster).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--roster", type=click.Path(dir_okay=False, path_type=Path), metavar="CSV",
              help="Serve a lab: one workspace and one secret link per student in CSV.")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="With --roster: where the students' workspaces live (default: "
                   "workspaces/ beside the roster).")
@click.option("--public-url", metavar="URL", help="With --roster: the address students use "
              "(default: http://HOST:PORT).")
@click.option("--allow-weak-sandbox", is_flag=True,
              help="With --roster: serve even where graded code is not isolated.")
def serve(workspace_opt: str | None, host: str, port: int, roster: Path | None,
          root: Path | None, public_url: str | None, allow_weak_sandbox: bool) -> None:
    """Open the app in a web browser (needs the optional textual-serve package)."""
    import shlex

    from modl_tutor.cli import workspace_root
    from modl_tutor.serve import check_bind

    try:
        check_bind(host, roster)
        from textual_serve.server import Server
    except ModlError as err:
        raise Fail(str(err)) from None
    except ImportError:
        raise Fail("`modl serve` needs textual-serve: pip install textual-serve") from None
    if roster is not None:
        from modl_tutor.cli.serve_lab import serve_lab

        serve_lab(roster, root, host, port, public_url, allow_weak_sandbox)
        return
    root_ws = workspace_root(workspace_opt).resolve()
    command = " ".join(shlex.quote(p) for p in (sys.executable, "-m", "modl_tutor",
                                                "--workspace", str(root_ws)))
    click.echo(f"Serving the app on {root_ws} at http://{host}:{port} (Ctrl+C stops).")
    Server(command, host=host, port=port, title="modl-tutor").serve()
