"""The class report as one self-contained HTML file: inline CSS and SVG, no script, no network."""

from __future__ import annotations

import html
import re
from datetime import datetime, timezone

from modl_tutor import __version__
from modl_tutor.reports.class_report.analysis import ClassReport, ExerciseStats

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2430;
background:#f6f7f9}
main{max-width:1040px;margin:0 auto;padding:24px}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.2em;margin:1.6em 0 .4em}
h3{font-size:1em;margin:1em 0 .3em;color:#3b4658}
.meta{color:#5b6678}
section.exercise{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:12px 18px;
margin:14px 0}
table{border-collapse:collapse;margin:.3em 0;max-width:100%}
table.overview{width:100%}
th,td{text-align:left;padding:3px 8px;border-bottom:1px solid #eceef2;vertical-align:top}
th{font-weight:600;color:#3b4658}td.num{text-align:right;font-variant-numeric:tabular-nums;
white-space:nowrap}
.share{display:inline-block;height:10px;background:#4f7cff;border-radius:2px;vertical-align:middle}
.track{display:inline-block;width:120px;background:#e6e9ef;border-radius:2px;margin-right:6px}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f1f3f6;padding:1px 4px;
border-radius:3px;word-break:break-all}
svg text{font:11px system-ui,sans-serif;fill:#3b4658}
a{color:#2453d6}
.muted{color:#7a8496}
"""


def esc(text: object) -> str:
    """Untrusted text as HTML: escaped, characters HTML cannot hold shown as \\xNN."""
    value = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))
    return html.escape(value, quote=True)


def anchor(exercise_id: str) -> str:
    return "ex-" + re.sub(r"[^A-Za-z0-9_-]", "-", exercise_id)


def histogram_svg(bins: list[tuple[str, int]], title: str, width: int = 420,
                  height: int = 150) -> str:
    """A bar chart of score bins as inline SVG (with a text alternative)."""
    top = max((n for _, n in bins), default=0) or 1
    slot = width / max(1, len(bins))
    plot = height - 34
    parts = [f'<svg class="histogram" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{esc(title)}: " + esc(", ".join(f"{b} {n}" for b, n in bins))
             + "</title>"]
    for i, (label, count) in enumerate(bins):
        bar = plot * count / top
        x = i * slot + 6
        y = 14 + plot - bar
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot - 12:.1f}" '
                     f'height="{bar:.1f}" fill="#4f7cff" rx="2"/>')
        parts.append(f'<text x="{x + (slot - 12) / 2:.1f}" y="{y - 3:.1f}" '
                     f'text-anchor="middle">{count}</text>')
        parts.append(f'<text x="{x + (slot - 12) / 2:.1f}" y="{height - 6}" '
                     f'text-anchor="middle">{esc(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _share_row(label: str, count: int, share: float) -> str:
    width = max(0.0, min(100.0, share))
    return (f'<tr><td class="num">{share:.1f}%</td><td><span class="track"><span class="share" '
            f'style="width:{width:.1f}%"></span></span></td><td class="num">{count}</td>'
            f"<td>{esc(label)}</td></tr>")


def _shares(title: str, rows: list[tuple[str, int]], stats: ExerciseStats, css: str) -> str:
    if not rows:
        return ""
    body = "".join(_share_row(label, n, stats.share(n)) for label, n in rows)
    return (f'<h3>{esc(title)}</h3><table class="{css}"><thead><tr><th>share</th><th></th>'
            f"<th>students</th><th>what</th></tr></thead><tbody>{body}</tbody></table>")


def exercise_section(stats: ExerciseStats) -> str:
    parts = [f'<section class="exercise" id="{anchor(stats.id)}">',
             f"<h2>{esc(stats.id)} <span class=\"muted\">— {esc(stats.title)}</span></h2>",
             f'<p class="meta">{esc(stats.kind)}, {stats.max_score:g} points · '
             f"{stats.students} student(s) · mean {stats.mean_percent:.1f}% · median "
             f"{stats.median_percent:.1f}%</p>",
             histogram_svg(stats.histogram, f"{stats.id} score distribution"),
             _shares("Known mistakes", stats.mistakes, stats, "mistakes"),
             _shares("Diagnoses", stats.diagnoses, stats, "diagnoses"),
             _shares("Likely causes", stats.causes, stats, "causes")]
    if stats.wrong_answers:
        rows = "".join(
            f'<tr><td class="num">{g.count}</td><td>{esc(g.part)}</td>'
            f"<td><code>{esc(g.shown)}</code>"
            + "".join(f" <code>{esc(f)}</code>" for f in g.other_forms())
            + f"</td><td>{esc(g.message)}</td></tr>" for g in stats.wrong_answers)
        parts.append("<h3>Most common wrong answers</h3><p class=\"muted\">Equivalent forms are "
                     "counted together; the form most students wrote comes first.</p>"
                     '<table class="wrong-answers"><thead><tr><th>students</th><th>part</th>'
                     f"<th>answer</th><th>feedback</th></tr></thead><tbody>{rows}</tbody>"
                     "</table>")
    if stats.failing_checks:
        rows = "".join(f'<tr><td class="num">{fails}/{runs}</td><td>{esc(name)}</td></tr>'
                       for name, fails, runs in stats.failing_checks)
        parts.append('<h3>Checks that fail most</h3><table class="failing-checks"><thead><tr>'
                     f"<th>failed</th><th>check</th></tr></thead><tbody>{rows}</tbody></table>")
    parts.append("</section>")
    return "".join(parts)


def overview(report: ClassReport) -> str:
    rows = "".join(
        f'<tr><td><a href="#{anchor(s.id)}">{esc(s.id)}</a></td>'
        f'<td class="num">{s.mean_percent:.1f}%</td><td class="num">{s.students}</td>'
        f"<td>{esc(s.diagnoses[0][0]) if s.diagnoses else ''}</td></tr>"
        for s in sorted(report.exercises, key=lambda s: (s.mean_percent, s.id)))
    return ('<h2>Exercises, hardest first</h2><table class="overview"><thead><tr><th>exercise'
            '</th><th>mean</th><th>students</th><th>most common diagnosis</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def report_html(report: ClassReport, *, title: str = "Class report",
                generated: datetime | None = None) -> str:
    """The whole report as a standalone HTML5 document (nothing is fetched when it is viewed)."""
    when = (generated or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    errors = ""
    if report.errors:
        items = "".join(f"<li><code>{esc(s)}</code>: {esc(e)}</li>" for s, e in report.errors)
        errors = f"<h2>Not graded</h2><ul class=\"errors\">{items}</ul>"
    body = [f"<h1>{esc(title)}</h1>",
            f'<p class="meta">{report.submissions} submission(s), {report.graded} graded · mean '
            f"{report.mean_percent:.1f}% · generated {esc(when)} by modl-tutor "
            f"{esc(__version__)}</p>",
            histogram_svg(report.histogram, "Students by total score", 520, 170),
            errors, overview(report), *(exercise_section(s) for s in report.exercises)]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">"
            f"<title>{esc(title)}</title><style>{CSS}</style></head><body><main>"
            + "".join(body) + "</main></body></html>\n")
