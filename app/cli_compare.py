"""`request-inspector compare A B`: what differs between two exchanges, whatever they came from.

A and B each name a history entry (``history:ID``), one entry of a HAR file (``FILE.har#N``, 1-based), or a file
holding one exchange (raw HTTP, a one-entry HAR): everything ``triage`` reads, loaded by app.core.triage.
A is the reference (the one that worked), B the one to explain. Exit codes: 0 the same in every compared part
(timings and Date-like headers aside), 3 they differ, 1 a usage error (a file that cannot be read, no such entry).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

EXIT_SAME, EXIT_DIFFERENT = 0, 3
_ENTRY = re.compile(r"^(?P<file>.+)#(?P<n>[0-9]{1,9})$")
_HISTORY_ID = re.compile(r"[0-9]{1,18}")  # fits SQLite's 64-bit INTEGER


def add_arguments(c) -> None:
    """The arguments of the `compare` subcommand (`diff` is the same command; app.cli lists it)."""
    c.add_argument("a", metavar="A", help="the reference exchange (the one that worked)")
    c.add_argument("b", metavar="B", help="the exchange to explain")
    c.add_argument("--json", action="store_true", help="print exactly one JSON object")
    c.add_argument("--markdown", action="store_true", help="print the comparison as a Markdown report")
    c.add_argument("--show-secrets", action="store_true", help="do not redact Authorization, cookies and keys")


def _from_history(spec: str, catalog, now: float):
    from app.cli import UsageError
    from app.core.diagnosis import diagnose
    from app.store.history import History, HistoryError

    number = spec.partition(":")[2].strip()
    if not _HISTORY_ID.fullmatch(number):  # not str.isdigit: it takes '²', which int() refuses
        raise UsageError(f"{spec!r} should name a history entry by its number (up to 18 digits), like history:42.")
    try:
        from app.store.vault import command_line_vault

        with History(vault=command_line_vault()) as history:
            entry = history.get(int(number))
    except HistoryError as exc:
        raise UsageError(str(exc)) from None
    return diagnose(entry.exchange, catalog, now, received_at=entry.created_at)


def load_one(spec: str, catalog, now: float):
    """The diagnosis of the exchange ``spec`` names; UsageError (a sentence) when it cannot be had."""
    from app.cli import UsageError
    from app.core.formats.errors import FormatError
    from app.core.triage import load_triage

    if spec.startswith("history:"):
        return _from_history(spec, catalog, now)
    path, number = Path(spec), None
    m = _ENTRY.match(spec)
    if m and not path.exists():
        path, number = Path(m.group("file")), int(m.group("n"))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"Could not read {str(path)!r}: {exc.strerror or exc}.") from None
    try:
        loaded = load_triage(data, path.name, catalog, now)
    except FormatError as exc:
        raise UsageError(f"{path.name}: {exc}") from None
    rows = {row.number: row for row in loaded.rows}
    if number is None:
        if len(rows) != 1:
            raise UsageError(f"{path.name} holds {len(rows)} exchanges; name one as {path.name}#N (1 to {len(rows)}).")
        number = 1
    if number not in rows:
        raise UsageError(f"{path.name} has no entry #{number}; its entries are numbered 1 to {len(rows)}.")
    return rows[number].diagnosis


def cmd_compare(args: argparse.Namespace) -> int:
    from app.cli import _load_catalog, _print_json, print_safe
    from app.core.clock import SystemClock
    from app.core.compare import compare, comparison_markdown, render_text

    catalog = _load_catalog(args.api_docs)
    now = SystemClock().now()
    a, b = load_one(args.a, catalog, now), load_one(args.b, catalog, now)
    result = compare(a, b, now=now, show_secrets=args.show_secrets)
    if args.json:
        _print_json(result.to_json())
    elif args.markdown:
        print_safe(comparison_markdown(result))
    else:
        print_safe(render_text(result))
    return EXIT_SAME if result.same else EXIT_DIFFERENT
