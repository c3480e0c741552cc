"""Compare two exchanges, whatever they came from (history, a HAR entry, a raw exchange, the tab's last answer).

Public surface:
    compare(a: Diagnosis, b: Diagnosis, *, now, show_secrets=False) -> Comparison   (exchange.py)
    Comparison, Change, SideStatus, TimingChange, BodyDiff, DiffLine                 (model.py)
    compare_bodies(old, new, old_type, new_type) -> BodyDiff; json_changes(old, new)  (body.py)
    render_text(c) -> str; comparison_sections(c) -> report Sections (Markdown/HTML)  (render.py)
    path_template(url) -> str: "/orders/{id}", for "compare with the last success"   (match.py)
"""

from app.core.compare.body import compare_bodies, json_changes
from app.core.compare.exchange import compare
from app.core.compare.match import path_template, same_endpoint
from app.core.compare.model import BodyDiff, Change, Comparison, DiffLine, SideStatus, TimingChange
from app.core.compare.render import comparison_markdown, comparison_html, comparison_sections, render_text

__all__ = ["BodyDiff", "Change", "Comparison", "DiffLine", "SideStatus", "TimingChange", "compare",
           "compare_bodies", "comparison_html", "comparison_markdown", "comparison_sections", "json_changes",
           "path_template", "render_text", "same_endpoint"]
