"""The class report's HTML in a real headless Chromium (skipped where none is installed)."""

from __future__ import annotations

from pathlib import Path


from modl_tutor.reports.class_report.analysis import analyse
from modl_tutor.reports.class_report.html import report_html
from tests.reports.test_class_report import bank, graded  # noqa: F401  (fixtures)



def test_the_report_renders_offline_with_its_charts(browser, graded, bank,  # noqa: F811
                                                    tmp_path: Path) -> None:
    page_file = tmp_path / "report.html"
    page_file.write_text(report_html(analyse(graded, bank), title="Week 3"), encoding="utf-8")
    context = browser.new_context(offline=True)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text))
    page.goto(page_file.as_uri())
    assert page.title() == "Week 3"
    assert requests == [page_file.as_uri()]  # nothing else is fetched
    assert problems == []  # no CSP violation or other console error
    charts = page.locator("svg.histogram")
    assert charts.count() == 3
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    assert page.locator("rect").count() == 18
    assert page.locator("#ex-derivatives-slope table.wrong-answers tbody tr").count() == 3
    assert "you forgot to <b>copy</b> the input" in page.locator("#ex-losses-double").inner_text()
    page.click("a[href='#ex-losses-double']")
    assert page.evaluate("location.hash") == "#ex-losses-double"
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    context.close()
