"""The class report in a terminal: plotext bar charts and one short block of findings per exercise."""

from __future__ import annotations

import re

from modl_tutor.reports.class_report.analysis import ClassReport, ExerciseStats

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MAX_EXERCISES_PLOTTED = 30


def clean(text: str) -> str:
    """Untrusted text (students' answers, feedback) on one line, control characters visible."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", " ".join(str(text).split()))


def _bars(labels: list[str], values: list[float], title: str, width: int, colour: bool) -> str:
    import plotext as plt

    plt.clear_figure()
    plt.simple_bar(labels, values, width=width, title=title)
    text = plt.build()
    plt.clear_figure()
    return text if colour else plt.uncolorize(text)


def _bar(share: float, width: int = 20) -> str:
    filled = round(width * max(0.0, min(100.0, share)) / 100)
    return "█" * filled + "·" * (width - filled)


def exercise_block(stats: ExerciseStats) -> list[str]:
    """The findings of one exercise as plain lines."""
    lines = [f"■ {stats.id} — {clean(stats.title)}  ({stats.kind}, {stats.max_score:g} pt)",
             f"  {stats.students} student(s): mean {stats.mean_percent:.1f}%, median "
             f"{stats.median_percent:.1f}%   "
             + "  ".join(f"{label} {count}" for label, count in stats.histogram)]
    for title, rows in (("known mistakes", stats.mistakes), ("diagnoses", stats.diagnoses),
                        ("likely causes", stats.causes)):
        if rows:
            lines.append(f"  {title}:")
            lines += [f"    {_bar(stats.share(n))} {stats.share(n):5.1f}%  {clean(label)}"
                      for label, n in rows]
    if stats.wrong_answers:
        lines.append("  most common wrong answers (students, answer; equivalent forms grouped):")
        for group in stats.wrong_answers:
            part = f"[{group.part}] " if group.part != "answer" else ""
            also = group.other_forms()
            lines.append(f"    {group.count:4d}  {part}{clean(group.shown)}"
                         + (f"   (also: {', '.join(clean(a) for a in also)})" if also else ""))
    if stats.failing_checks:
        lines.append("  checks that fail most:")
        lines += [f"    {fails:4d}/{runs:<4d} {clean(name)}"
                  for name, fails, runs in stats.failing_checks]
    return lines


def report_text(report: ClassReport, *, width: int = 80, colour: bool = False) -> str:
    """The whole report as text: class histogram, hardest exercises, then each exercise."""
    width = max(40, width)
    out = [f"Class report: {report.submissions} submission(s), {report.graded} graded, "
           f"mean {report.mean_percent:.1f}%"]
    for submission, error in report.errors:
        out.append(f"  not graded: {clean(submission)}: {clean(error)[:200]}")
    if report.graded:
        out.append(_bars([b for b, _ in report.histogram], [n for _, n in report.histogram],
                         "students by total score", width, colour))
    hardest = sorted(report.exercises, key=lambda s: (s.mean_percent, s.id))
    shown = hardest[:MAX_EXERCISES_PLOTTED]
    if shown:
        out.append(_bars([s.id for s in shown], [round(s.mean_percent, 1) for s in shown],
                         f"mean % per exercise (hardest {len(shown)} first)", width, colour))
    for stats in report.exercises:
        out.append("")
        out.extend(exercise_block(stats))
    return "\n".join(out) + "\n"
