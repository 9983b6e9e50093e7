"""Print an exercise's prompt in a terminal: markdown, part labels, lettered choices."""

from __future__ import annotations

from rich.console import Console
from rich.markdown import Markdown

from modl_tutor.bank.models import Exercise
from modl_tutor.workspace.workspace import Workspace


def print_markdown(markdown: str, console: Console) -> None:
    """Prose as markdown; each `$$…$$` formula on lines of its own that fit the console,
    wrapped between formulas or before a top-level operator, never inside a token."""
    from rich.text import Text

    from modl_tutor.reports.formula_wrap import split_display, wrap_display
    from modl_tutor.reports.mathtext import latex_to_unicode, render_math

    for kind, chunk in split_display(markdown):
        if kind == "text":
            if chunk.strip():
                console.print(Markdown(render_math(chunk)))
            continue
        console.print()
        for line in wrap_display(latex_to_unicode(chunk.strip()), console.width - 4):
            console.print(Text("    " + line), soft_wrap=True)
        console.print()


def print_prompt(exercise: Exercise, workspace: Workspace, seed: str = "",
                 console: Console | None = None) -> None:
    """The prompt as the student sees it, with where and how to answer."""
    from modl_tutor.reports.mathtext import render_math

    console = console or Console()
    console.print(f"[bold]{exercise.id}[/bold] — {exercise.title}  "
                  f"[dim]({exercise.kind}, {exercise.points:g} pt)[/dim]")
    print_markdown(exercise.prompt, console)
    for part in exercise.parts:
        label = part.label or ("" if part.name == "answer" else part.name)
        if label:
            console.print(f"[bold]{part.name}[/bold]: {render_math(label)}")
        if part.type == "choice":
            from modl_tutor.answers.choices import display_order, letter

            for position, index in enumerate(display_order(part, seed, exercise.id)):
                console.print(f"  {letter(position)}) {part.options[index]}")
    if exercise.is_code:
        console.print(f"[dim]Edit {workspace.code_path(exercise)} then run "
                      f"`modl check {exercise.id}` (or `modl watch`).[/dim]")
    elif exercise.is_multipart:
        console.print(f"[dim]Answer with `modl answer {exercise.id} --part NAME \"...\"`.[/dim]")
    elif exercise.kind == "derivation":
        console.print(f"[dim]Write your derivation one step per line in a file, then run "
                      f"`modl answer {exercise.id} --steps FILE` (or list the steps in "
                      f"answers.toml).[/dim]")
    else:
        console.print(f"[dim]Answer with `modl answer {exercise.id} \"...\"`.[/dim]")
