from app.core.catalog import load_default_catalog
from app.core.compare import compare, comparison_html, comparison_markdown, render_text
from app.core.diagnosis import diagnose
from app.core.models import Exchange, HttpRequest, HttpResponse, Timing

CATALOG = load_default_catalog()


def _pair():
    ok = Exchange(HttpRequest("POST", "http://h/orders", (("Content-Type", "application/json"),), b"{}"),
                  HttpResponse(201, body=b"line 1\nline 2\n"), Timing(total=0.025))
    bad = Exchange(HttpRequest("POST", "http://h/orders", (), b"{}"),
                   HttpResponse(415, body=b"line 1\nline <two>\n"), Timing(total=0.04))
    return compare(diagnose(ok, CATALOG, 0.0), diagnose(bad, CATALOG, 0.0), now=0.0)


def test_text_puts_the_summary_first_and_numbers_diff_lines():
    text = render_text(_pair())
    lines = text.splitlines()
    assert lines[0] == "415 instead of 201: the request lost its Content-Type header"
    assert "header - Content-Type: application/json" in text
    assert any(line.split()[:3] == ["2", "-", "line"] for line in lines)
    assert "Total" in text and "+15 ms" in text


def test_markdown_and_html_use_the_report_blocks():
    c = _pair()
    md = comparison_markdown(c)
    assert md.startswith("# Request Inspector — comparison") and "## Summary" in md and "## Body" in md
    page = comparison_html(c)
    assert "<h2>Findings</h2>" in page and "line &lt;two&gt;" in page and "<two>" not in page
