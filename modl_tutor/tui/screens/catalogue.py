"""The catalogue: topics with progress, the exercise list with search, and where to continue."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content, Span
from textual.screen import Screen
from textual.style import Style
from textual.widgets import Button, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from modl_tutor.bank.models import Exercise
from modl_tutor.errors import ModlError
from modl_tutor.progress.status import ExerciseStatus, TopicStatus, topic_status
from modl_tutor.reports.terminal import points
from modl_tutor.tui.widgets.continue_button import ContinueButton
from modl_tutor.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from modl_tutor.tui.app import ModlApp

ALL = "__all__"
BAR_WIDTH = 8
COMPACT_BELOW = 100
"""Terminals narrower than this list each exercise as mark, points and title (no slug or
kind: the details box below names them), so the title is never cut away at 80 columns."""


def progress_bar(done: int, attempted: int, total: int, width: int = BAR_WIDTH) -> Text:
    """A small bar: solid for done, shaded for attempted, light for the rest."""
    text = Text()
    if total <= 0:
        return text.append("─" * width, style="dim")
    full = round(width * done / total)
    tried = min(width - full, round(width * attempted / total))
    text.append("█" * full, style="green")
    text.append("▓" * tried, style="yellow")
    text.append("░" * (width - full - tried), style="dim")
    return text


def topic_prompt(row: TopicStatus, label: str | None = None, name_width: int = 13) -> Text:
    """One line per topic: the name padded to `name_width` (at least one space before the
    bar, whatever the name), the bar and the counts; cut with an ellipsis, never wrapped."""
    name = label or row.topic
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{name:<{max(name_width, len(name) + 1)}}", style="bold")
    text.append_text(progress_bar(row.done, row.attempted, row.total))
    text.append(f" {row.done}/{row.total}")
    if row.attempted:
        text.append(f" ~{row.attempted}", style="yellow")
    return text


def matches(exercise: Exercise, query: str) -> bool:
    """Every word of the query appears in the id, title, kind or tags (case-insensitive)."""
    haystack = " ".join((exercise.id, exercise.title, exercise.kind, *exercise.tags)).lower()
    return all(word in haystack for word in query.lower().split())


class Prompts:
    """Rich text to Textual content as `Content.from_rich_text` makes it, each distinct style
    converted once (from_rich_text converts every span: 5 per row, ~900 for the full list)."""

    def __init__(self, app: App[Any]) -> None:
        self.get_style, self.ansi_theme = app.console.get_style, app.ansi_theme
        self.styles: dict[object, Style] = {}

    def style(self, style: object) -> Style:
        converted = self.styles.get(style)
        if converted is None:
            rich = self.get_style(style) if isinstance(style, str) else style
            converted = self.styles[style] = Style.from_rich_style(rich, self.ansi_theme)
        return converted

    def __call__(self, text: Text) -> Content:
        content = Content(text.plain, [Span(start, end, self.style(style))
                                       for start, end, style in text.spans])
        if text.style:
            content = content.stylize_before(
                text.style if isinstance(text.style, str) else self.style(text.style))
        return content


class EdgeList(OptionList):
    """An option list whose cursor stops at its ends (Textual's wraps around: one ↓ too many
    on the last topic jumped to the first)."""

    def _step(self, direction: int) -> None:
        if self.highlighted is None:
            (super().action_cursor_down if direction > 0 else super().action_cursor_up)()
            return
        index = self.highlighted + direction
        while 0 <= index < self.option_count:
            if not self.get_option_at_index(index).disabled:
                self.highlighted = index
                return
            index += direction

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)


class ExerciseList(EdgeList):
    """The exercise list; enter opens the highlighted exercise."""

    BINDINGS = [Binding("enter", "select", "Open")]


def exercise_prompt(exercise: Exercise, status: ExerciseStatus, slug_width: int = 24, *,
                    compact: bool = False) -> Text:
    mark, style = status.mark
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f" {mark} ", style=f"bold {style}")
    if compact:
        text.append(f"{exercise.points:>3g} pt  ", style="dim")
        text.append(exercise.title)
        return text
    text.append(f"{exercise.slug:<{slug_width}} ", style="bold")
    text.append(f"{exercise.kind:<11}", style="cyan")
    text.append(f"{exercise.points:>3g} pt  ", style="dim")
    text.append(exercise.title)
    return text


def details_text(exercise: Exercise, status: ExerciseStatus) -> Text:
    mark, style = status.mark
    text = Text()
    text.append(f"{exercise.title}\n", style="bold")
    text.append(f"{exercise.id}  ·  {exercise.kind}  ·  {exercise.points:g} pt  ·  ")
    text.append("★" * exercise.difficulty + "☆" * (3 - exercise.difficulty), style="yellow")
    text.append("\n")
    if exercise.tags:
        text.append("tags: " + ", ".join(exercise.tags) + "\n", style="dim")
    text.append(f"{mark} {status.label}", style=style)
    if status.score is not None and status.state != "new":
        text.append(f"  ·  grade now {points(status.score, status.max_score)}")
    if status.attempts:
        text.append(f"  ·  {status.attempts} attempt{'s' * (status.attempts != 1)}")
    if status.hints_shown:
        text.append(f"  ·  {status.hints_shown}/{len(exercise.hints)} hints")
    if status.history:
        text.append(f"\n{status.history[0].upper()}{status.history[1:]}.", style="yellow")
    return text


class CatalogueScreen(Screen[None]):
    """Pick an exercise: topics on the left, a searchable list on the right."""

    HELP_FILE = "catalogue.md"
    AUTO_FOCUS = "#exercises"
    BINDINGS = [
        Binding("enter", "open", "Open", show=False),
        Binding("slash", "search", "Search"),
        Binding("c", "continue", "Continue"),
        Binding("t", "topics", "Topics"),
        Binding("escape", "clear_search", "Clear search", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.topic = ALL
        self.query_text = ""
        self._statuses: dict[str, ExerciseStatus] = {}
        self._compact = False
        self._just_mounted = False

    @property
    def modl(self) -> ModlApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="catalogue"):
            with Vertical(id="sidebar"):
                yield EdgeList(id="topics")
                yield ContinueButton(id="continue")
                yield Static("", id="totals")
            with Vertical(id="main"):
                yield Input(placeholder="/ search: id, title, tag or kind", id="search")
                yield ExerciseList(id="exercises")
                yield Static("", id="details")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#topics", OptionList).border_title = "Topics"
        self.query_one("#exercises", OptionList).border_title = "Exercises"
        self.refresh_data()
        self._just_mounted = True

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """At the first show: its widgets were just styled as they mounted and its statuses
        just read, so neither a second style pass over the whole screen (Textual's own
        handler, called after this one, restyles on every resume) nor a second read, before
        the first paint. Coming back from an exercise: statuses may have changed."""
        if self._just_mounted:
            self._just_mounted = False
            event.refresh_styles = False
            return
        self.refresh_data()

    # -- data ------------------------------------------------------------------------------
    def refresh_data(self) -> None:
        """Re-read the statuses (the grade now) and redraw topics, list, totals, 'continue'."""
        tutor = self.modl.tutor
        try:
            self._statuses = tutor.statuses()
        except ModlError as err:  # e.g. a broken answers.toml: say so, list what is known
            self.notify(str(err), severity="error", timeout=10)
            self._statuses = {e.id: ExerciseStatus(e.id, "new", e.points) for e in tutor.bank}
        topics = self.query_one("#topics", OptionList)
        rows = tutor.topics(self._statuses)
        overall = topic_status("all", list(self._statuses.values()))
        keep = topics.highlighted
        width = max(len("All topics"), *(len(r.topic) for r in rows)) + 1
        content = Prompts(self.app)
        topics.set_options([Option(content(topic_prompt(overall, "All topics", width)), id=ALL),
                            *(Option(content(topic_prompt(r, name_width=width)), id=r.topic)
                              for r in rows)])
        topics.highlighted = keep if keep is not None else 0
        self.query_one("#totals", Static).update(
            Text.assemble(("Score ", "bold"),
                          f"{points(overall.score, overall.max_score)} pt\n",
                          ("✓ done  ~ tried  ✗ gave up", "dim")))
        last = tutor.last_exercise()
        button = self.query_one("#continue", Button)
        button.display = last is not None
        if last is not None:
            button.label = f"▶ Continue: {last.slug}"
            button.tooltip = f"{last.id} — {last.title}"
        self.refresh_list()

    def visible_exercises(self) -> list[Exercise]:
        bank = self.modl.tutor.bank
        chosen = list(bank) if self.topic == ALL else bank.by_topic(self.topic)
        return [e for e in chosen if matches(e, self.query_text)]

    @property
    def compact(self) -> bool:
        return self.app.size.width < COMPACT_BELOW

    def on_resize(self) -> None:
        if self.compact != self._compact:
            self.refresh_list()

    def refresh_list(self) -> None:
        self._compact = self.compact
        listing = self.query_one("#exercises", OptionList)
        current = listing.highlighted_option.id if listing.highlighted_option else None
        options: list[Option] = []
        topic = None
        content = Prompts(self.app)
        exercises = self.visible_exercises()
        width = min(28, max((len(e.slug) for e in exercises), default=10))
        for exercise in exercises:
            if self.topic == ALL and exercise.topic != topic:
                topic = exercise.topic
                options.append(Option(content(Text(topic.upper(), style="bold magenta")),
                                      id=f"topic:{topic}", disabled=True))
            options.append(Option(content(exercise_prompt(exercise, self.status_of(exercise),
                                                          width, compact=self._compact)),
                                  id=exercise.id))
        if not exercises:
            options.append(Option(Text(self.no_match_text(), style="dim italic"),
                                  id="none", disabled=True))
        listing.set_options(options)
        ids = [o.id for o in options]
        target = current if current in ids else next(
            (o.id for o in options if not o.disabled), None)
        listing.highlighted = ids.index(target) if target is not None else None
        self.show_details()

    def no_match_text(self) -> str:
        """Why the list is empty: the search, and the topic filter when one is active."""
        text = "  no exercise matches"
        if self.topic != ALL:  # on its own line: it fits the list at 80 columns
            text += f"\n  in topic {self.topic} (t: change)"
        return text

    def show_details(self) -> None:
        details = self.query_one("#details", Static)
        exercise = self.highlighted_exercise()
        if exercise is None:
            details.update("")
            return
        details.update(details_text(exercise, self.status_of(exercise)))

    def status_of(self, exercise: Exercise) -> ExerciseStatus:
        return self._statuses.get(exercise.id) or ExerciseStatus(exercise.id, "new",
                                                                 exercise.points)

    def highlighted_exercise(self) -> Exercise | None:
        option = self.query_one("#exercises", OptionList).highlighted_option
        if option is None or option.disabled or option.id is None:
            return None
        return self.modl.tutor.bank.get(option.id)

    # -- events ----------------------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#topics")
    def _topic_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        topic = event.option.id or ALL
        if topic != self.topic:
            self.topic = topic
            self.refresh_list()

    @on(OptionList.OptionSelected, "#topics")
    def _topic_selected(self) -> None:
        self.query_one("#exercises", OptionList).focus()

    @on(OptionList.OptionHighlighted, "#exercises")
    def _exercise_highlighted(self) -> None:
        self.show_details()

    @on(OptionList.OptionSelected, "#exercises")
    def _exercise_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and not event.option.disabled:
            self.modl.open_exercise(event.option.id)

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.refresh_list()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        """One enter opens the highlighted match; with no match, the list takes the focus."""
        exercise = self.highlighted_exercise()
        self.query_one("#exercises", OptionList).focus()  # coming back, single keys work
        if exercise is not None:
            self.modl.open_exercise(exercise.id)

    @on(Button.Pressed, "#continue")
    def _continue_pressed(self) -> None:
        self.action_continue()

    # -- actions ---------------------------------------------------------------------------
    def action_open(self) -> None:
        exercise = self.highlighted_exercise()
        if exercise is not None:
            self.modl.open_exercise(exercise.id)

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_topics(self) -> None:
        self.query_one("#topics", OptionList).focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        search.value = ""
        self.query_one("#exercises", OptionList).focus()

    def action_continue(self) -> None:
        last = self.modl.tutor.last_exercise()
        if last is None:
            self.notify("Nothing to continue yet: pick an exercise.", severity="warning")
            return
        self.modl.open_exercise(last.id)
