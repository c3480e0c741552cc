import json
import xml.etree.ElementTree as ET

from app.core.assertions import check, parse_assertion
from app.core.catalog import load_default_catalog
from app.core.checks import CheckResult, RunTotals, junit_xml, result_lines, run_json, total_line
from app.core.diagnosis import diagnose
from app.core.models import Exchange, HttpRequest, HttpResponse, Timing, TransportError

CATALOG = load_default_catalog()


def _results():
    req = HttpRequest("GET", "http://h/a")
    ok = diagnose(Exchange(req, HttpResponse(200, "OK"), Timing(total=0.01)), CATALOG, 0.0)
    down = diagnose(Exchange(req, None, error=TransportError("refused", "The server refused the connection.")),
                    CATALOG, 0.0)
    status = parse_assertion("?? status == 201")
    return [CheckResult("a.http", "first", "GET", req.url, ok),
            CheckResult("a.http", "second <&>", "GET", req.url, ok, (check(status, ok),)),
            CheckResult("b/c.http", "down", "GET", req.url, down, (check(status, down),),
                        problem="The server refused the connection.")]


def test_a_request_without_expectations_passes_when_answered():
    first, second, down = _results()
    assert first.passed and not second.passed and not down.passed and not down.answered
    assert result_lines(second)[1] == "    ✖ ?? status == 201: expected == 201, got 200"
    totals = RunTotals.of(_results(), 1.5)
    assert (totals.passed, totals.failed, totals.no_response) == (1, 2, 1)
    assert total_line(totals) == "3 requests: 1 passed, 2 failed (1 without a response) in 1,500 ms."
    assert run_json(_results(), totals)["results"][2]["status"] == "no response"


def test_junit_xml_parses_with_failures_and_errors_apart():
    results = _results()
    root = ET.fromstring(junit_xml(results, RunTotals.of(results, 1.0)).split("\n", 1)[1])
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "1")
    a, c = root.findall("testsuite")
    assert [t.get("name") for t in a.findall("testcase")] == ["first", "second <&>"]
    assert a.findall("testcase")[1].find("failure").get("type") == "assertion"
    assert c.get("name") == "b/c.http" and c.find("testcase/error").get("type") == "no-response"


def test_redacted_results_hide_the_filled_in_url_and_every_quoted_secret():
    secret = "S3CRETv4lue9"
    url = f"http://ann:{secret}@h/login?access_token={secret}&page=2"
    req = HttpRequest("GET", url)
    resp = HttpResponse(200, f"OK Bearer {secret}", headers=(("Set-Cookie", f"sid={secret}"),
                                                     ("Content-Type", "application/json")),
                        body=b'{"access_token": "%s"}' % secret.encode())
    d = diagnose(Exchange(req, resp, Timing(total=0.01)), CATALOG, 0.0)
    lines = ("?? header set-cookie includes x", '?? body $.access_token == "x"', "?? body $ == 1")
    raw = CheckResult("a.http", f"GET {url}", "GET", url, d, tuple(check(parse_assertion(x), d) for x in lines),
                      problem=f"Could not reach {url}.")
    shown = [raw.redacted()]
    totals = RunTotals.of(shown, 1.0)
    outputs = ["\n".join(result_lines(shown[0])), json.dumps(run_json(shown, totals), ensure_ascii=False),
               junit_xml(shown, totals)]
    for out in outputs:
        assert secret not in out and "•••redacted•••" in out
    assert "page=2" in outputs[1] and "ann:•••redacted•••@h/login" in outputs[2]  # the rest of the URL stays
    assert secret in junit_xml([raw], totals) and secret in raw.url  # unredacted only when asked for
