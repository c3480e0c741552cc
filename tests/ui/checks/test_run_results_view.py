"""The run's results page shows each request's failed expectations with the quoted secrets masked, while the row
still opens the exchange as it was received."""

from __future__ import annotations

from app.core.assertions import check, parse_assertion
from app.core.catalog import load_default_catalog
from app.core.checks import CheckResult
from app.core.diagnosis import diagnose
from app.core.models import Exchange, HttpRequest, HttpResponse, Timing
from app.ui.checks.view import RunResultsView

SECRET = "S3CRETv4lue9"


def test_failed_expectations_and_the_url_are_shown_masked(qtbot):
    url = f"http://h/login?access_token={SECRET}"
    resp = HttpResponse(200, "OK", headers=(("Set-Cookie", f"sid={SECRET}"), ("Content-Type", "application/json")),
                        body=b'{"access_token": "%s"}' % SECRET.encode())
    d = diagnose(Exchange(HttpRequest("GET", url), resp, Timing(total=0.01)), load_default_catalog(), 0.0)
    lines = ("?? header set-cookie includes x", '?? body $.access_token == "x"', "?? body $ == 1")
    result = CheckResult("a.http", f"GET {url}", "GET", url, d, tuple(check(parse_assertion(x), d) for x in lines))
    view = RunResultsView("a.http")
    qtbot.addWidget(view)
    view.add_result(result)
    cells = [view.table.item(0, c) for c in range(view.table.columnCount())]
    shown = " ".join(c.text() + c.toolTip() for c in cells)
    assert SECRET not in shown and "sid=•••redacted•••" in shown and "access_token=•••redacted•••" in shown
    assert view.results == [result] and SECRET in view.results[0].url  # opening the row shows it as received
