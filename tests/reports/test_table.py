"""`--format table`: per-topic and total scores, an error column, one row per submission."""

from __future__ import annotations

from rich.console import Console

from modl_tutor.reports.table import grade_table, print_table, table_text


def test_plain_text_table(results) -> None:
    text = table_text(results)
    header = next(line for line in text.splitlines() if "submission" in line)
    for column in ("student", "derivatives", "losses", "total", "%", "error"):
        assert column in header
    alice = next(line for line in text.splitlines() if "subs/alice" in line)
    assert "1/1" in alice and "3/4" in alice and "4/5" in alice and "80.0" in alice
    carol = next(line for line in text.splitlines() if "subs/carol" in line)
    assert "not valid TOML" in carol
    assert "3 submission(s)" in text and "with errors" in text


def test_topics_follow_the_bank(results, tiny_bank) -> None:
    table = grade_table(results, tiny_bank)
    headers = [str(c.header) for c in table.columns]
    assert headers[:4] == ["submission", "student", "derivatives", "losses"]
    assert table.row_count == 3


def test_printing_to_a_pipe_has_no_colour_codes(results) -> None:
    import io

    buffer = io.StringIO()
    print_table(results, console=Console(file=buffer))
    assert "\x1b[" not in buffer.getvalue() and "subs/alice" in buffer.getvalue()


def test_untrusted_text_is_neither_markup_nor_escape_codes(results) -> None:
    from dataclasses import replace

    sneaky = replace(results[2], submission="[bold red]x[/]\x1b]0;title\x07",
                     error="[link=http://x]y[/link]")
    text = table_text([sneaky])
    assert "[bold red]x[/]" in text and "\\x1b" in text and "\\x07" in text
    assert "[link=http://x]y[/link]" in text
