"""The scriptable face: `request-inspector diagnose | triage | demo-server`, and the GUI when no command is given.

Exit codes: 0 a response arrived (whatever its status) / the command worked; 2 no response (the error is filled
in); 1 a usage error (bad flag, unreadable file, malformed header).

What is printed is redacted (app.core.redact.redact_diagnosis: notes and messages included) unless --show-secrets,
and text output shows control characters as escapes (``terminal_safe``), so a server's Message or a file's header
cannot retitle, clear or rewrite the terminal. JSON output is escaped by json.dumps.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Sequence

EXIT_OK, EXIT_USAGE, EXIT_NO_RESPONSE = 0, 1, 2


class UsageError(Exception):
    """A mistake in what was typed: the message is shown as is, exit code 1."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would exit 2, which means "no response" here
        self.print_usage(sys.stderr)
        raise UsageError(f"{self.prog}: {message}")


class _VersionAction(argparse.Action):
    """--version, reading the version only when asked (importlib.metadata costs ~50 ms at start-up)."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        from app import __version__

        print(f"request-inspector {__version__}")
        parser.exit()


# Every command, in the order --help lists them: (name, aliases, help). Only the typed command's arguments are built
# (``_build_parser``), so the window's start-up and `diagnose` do not import what `run` or `--as-code` need.
COMMANDS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("diagnose", (), "send one request and print the diagnosis"),
    ("triage", (), "diagnose a HAR, raw HTTP, curl, Postman or .http file without resending"),
    ("compare", ("diff",), "compare two exchanges (history:ID, FILE.har#N or a raw HTTP file)"),
    ("run", (), "send saved .http requests and check their ?? expectations"),
    ("demo-server", (), "run the practice server that behaves like the documented API"),
)
_TOP_LEVEL_VALUE_OPTIONS = ("--api-docs",)  # the top-level options that take a value (the next word)


def command_of(argv: Sequence[str]) -> str | None:
    """The command word in ``argv`` as argparse will read it (the first positional of the top level), or None.

    Top-level options are skipped like argparse does: ``--api-docs FILE`` (or an unambiguous prefix such as
    ``--api FILE``) takes the next word, ``--api-docs=FILE`` does not, and everything after ``--`` is positional.
    """
    words = iter(argv)
    for word in words:
        if word == "--":
            return next(words, None)
        if word.startswith("-") and word != "-":
            name = word.partition("=")[0]
            if "=" not in word and len(name) > 2 and any(o.startswith(name) for o in _TOP_LEVEL_VALUE_OPTIONS):
                next(words, None)
            continue
        return word
    return None


def _add_diagnose_arguments(d: argparse.ArgumentParser) -> None:
    d.add_argument("-X", "--request", dest="method", metavar="METHOD", help="HTTP method (default GET, POST with data)")
    d.add_argument("-H", "--header", dest="headers", action="append", default=[], metavar="'Name: value'")
    data = d.add_mutually_exclusive_group()
    data.add_argument("-d", "--data", dest="data", action="append", metavar="DATA", help="body (@FILE reads a file)")
    data.add_argument("--data-binary", dest="data_binary", metavar="DATA|@FILE", help="body sent byte for byte")
    d.add_argument("--timeout", type=float, default=30.0, metavar="S", help="per-phase timeout in seconds (default 30)")
    d.add_argument("--max-time", type=float, default=None, metavar="S", help="overall deadline in seconds")
    d.add_argument("-L", "--location", dest="follow", action="store_true", help="follow redirects (secrets stay home)")
    d.add_argument("-k", "--insecure", action="store_true", help="do not verify the TLS certificate")
    d.add_argument("--http2", action="store_true", help="offer HTTP/2")
    d.add_argument("--json", action="store_true", help="print exactly one JSON object")
    d.add_argument("--show-secrets", action="store_true", help="do not redact Authorization, cookies and keys")
    d.add_argument("--as-code", metavar="TARGET", choices=_CodeTargets(),
                   help="print code that sends this request instead of sending it: %(choices)s")
    d.add_argument("url", metavar="URL")


class _CodeTargets:
    """The --as-code choices (app.core.formats.code.TARGETS), read when argparse checks a value or lists them in
    --help: a plain `diagnose` does not import the code generators' package."""

    def _names(self) -> list[str]:
        from app.core.formats.code import TARGETS

        return list(TARGETS)

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self):
        return iter(self._names())


def _add_triage_arguments(t: argparse.ArgumentParser) -> None:
    t.add_argument("file", metavar="FILE")
    t.add_argument("--json", action="store_true", help="print JSON: a list for a file that can hold several requests "
                                                       "(HAR, curl, Postman, .http), one object for a raw exchange")
    t.add_argument("--show-secrets", action="store_true", help="do not redact Authorization, cookies and keys")


def _add_compare_arguments(c: argparse.ArgumentParser) -> None:
    from app.cli_compare import add_arguments

    add_arguments(c)


def _add_run_arguments(r: argparse.ArgumentParser) -> None:
    from app.cli_run import add_arguments

    add_arguments(r)


def _add_demo_server_arguments(s: argparse.ArgumentParser) -> None:
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8080)


_ARGUMENTS = {"diagnose": _add_diagnose_arguments, "triage": _add_triage_arguments, "compare": _add_compare_arguments,
              "run": _add_run_arguments, "demo-server": _add_demo_server_arguments}
_SHARES_API_DOCS = {"diagnose", "triage", "compare", "run"}  # the commands that take --api-docs after their name


def _build_parser(command: str | None = "*") -> argparse.ArgumentParser:
    """The parser; every command is listed, but only ``command``'s arguments are built ("*": all, None: none).
    A command given under an alias (``diff``) builds its command's arguments."""
    parser = _Parser(
        prog="request-inspector",
        description="Send HTTP requests and read the answers in the API's own documented words.",
    )
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    parser.add_argument("--smoke", action="store_true", help="build and show the main window for a second, print ok")
    parser.add_argument("--api-docs", metavar="FILE",
                        help="another API's documentation to explain statuses with: a markdown error page or an "
                        "OpenAPI 3.0/3.1 document (.json/.yaml)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    docs = _Parser(add_help=False)
    docs.add_argument("--api-docs", metavar="FILE", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    for name, aliases, help_text in COMMANDS:
        parents = [docs] if name in _SHARES_API_DOCS else []
        p = sub.add_parser(name, aliases=list(aliases), parents=parents, help=help_text)
        if command == "*" or command == name or command in aliases:
            _ARGUMENTS[name](p)
    return parser


def _load_catalog(path: str | None):
    """The markdown page or OpenAPI document at ``path`` (decided by its suffix and content), else the built-in page."""
    from app.core.api_docs import read_api_docs
    from app.core.catalog import load_default_catalog

    if not path:
        return load_default_catalog()
    from app.core.api_docs import skipped_sentence

    docs = read_api_docs(path)
    skipped = skipped_sentence(docs)
    if skipped:
        print_safe(skipped, file=sys.stderr)
    return docs


def _read_data_file(spec: str, strip_newlines: bool) -> bytes:
    try:
        data = Path(spec[1:]).read_bytes() if spec != "@-" else sys.stdin.buffer.read()
    except OSError as exc:
        raise UsageError(f"Could not read the body file {spec[1:]!r}: {exc.strerror or exc}.") from None
    if strip_newlines:
        data = data.replace(b"\r", b"").replace(b"\n", b"")
    return data


def _body(args: argparse.Namespace) -> bytes | None:
    if args.data_binary is not None:
        spec = args.data_binary
        return _read_data_file(spec, False) if spec.startswith("@") else spec.encode("utf-8")
    if args.data:
        parts = [_read_data_file(p, True) if p.startswith("@") else p.encode("utf-8") for p in args.data]
        return b"&".join(parts)
    return None


def _headers(raw: Sequence[str]) -> tuple[tuple[str, str], ...]:
    out = []
    for h in raw:
        name, sep, value = h.partition(":")
        if not sep or not name.strip():
            raise UsageError(f"The header {h!r} is not of the form 'Name: value'.")
        out.append((name.strip(), value.strip()))
    return tuple(out)


def build_cli_request(args: argparse.Namespace):
    """What is typed is what is sent: no Content-Type of our own, typed framing headers kept."""
    from app.core.models import HttpRequest, header_value

    headers = _headers(args.headers)
    body = _body(args)
    method = (args.method or ("POST" if body is not None else "GET")).upper()
    te = header_value(headers, "Transfer-Encoding") or ""
    chunked = "chunked" in te.lower()
    return HttpRequest(method=method, url=args.url, headers=headers, body=body, chunked=chunked)


_MARKS = {"error": "✖", "warning": "⚠", "info": "ℹ"}
# C0 and C1 controls, DEL, and the invisible direction marks/overrides that reorder what a terminal shows.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def terminal_safe(text: str) -> str:
    """``text`` with every control character shown as an escape (ESC as \\x1b, CR as \\r, newline as \\n)."""
    return _CONTROL.sub(lambda m: _NAMED.get(m.group()) or
                        (f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"), text)


def print_safe(text: str, file=None) -> None:
    """Print lines of our own making whose pieces may come from a server or a file: each line made terminal-safe."""
    print("\n".join(terminal_safe(line) for line in str(text).split("\n")), file=file)


def render_text(diag, now: float | None = None) -> str:
    """The human-readable diagnosis (what `diagnose` prints without --json): the texts of app.core.presentation,
    the same the window and the triage report show, laid out as lines."""
    import time

    from app.core.presentation import present

    v = present(diag, now=time.time() if now is None else now)
    lines = [v.request_line, f"→ {v.status_line}"]
    if v.answered:
        lines += [f"  {v.explanation_line}"] * bool(v.explanation)
        lines += [f"  Note: {v.doc_note}"] * bool(v.doc_note)
        lines += [f"  API says: “{v.api_message}”"] * bool(v.api_message)
    if v.error is not None:
        lines.append(f"✖ {v.error}")
    elif not v.answered:
        lines.append(f"  {v.explanation}")
    if v.retry is not None:
        lines.append(f"⏱ Retry-After: {v.retry.raw} → {v.retry.sentence}")
        lines += [f"  {v.retry.note}"] * bool(v.retry.note)
    if v.rate_limit:
        lines.append(f"  Rate limit: {v.rate_limit}")
    if v.findings:
        lines.append("Findings:")
        for f in v.findings:
            lines.append(f"  {_MARKS.get(f.severity, '-')} {f.severity:<7} {f.side:<8} {f.header}: {f.text}  [{f.id}]")
    lines += [f"Note: {note}" for note in v.notes]
    if v.timings:
        lines.append("Timing: " + ", ".join(f"{label} {value}" for label, value in v.timings))
    return "\n".join(terminal_safe(line) for line in lines)  # a newline inside a value shows as \n


def _redacted(diag, show_secrets: bool):
    """The diagnosis with secrets masked in what is printed, notes and messages included (unless --show-secrets)."""
    if show_secrets:
        return diag
    from app.core.redact import redact_diagnosis

    return redact_diagnosis(diag)[0]


def _print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def _print_code(args: argparse.Namespace, request) -> int:
    """``diagnose --as-code TARGET``: the code that sends the request, printed byte for byte (a --data-binary @FILE
    is read from FILE by the code); secrets redacted unless --show-secrets."""
    from app.core.formats.code import to_code

    spec = args.data_binary or ""
    files = [(spec[1:], request.body)] if spec.startswith("@") and spec != "@-" and request.body else []
    from app.core.formats.code import CodeError

    try:
        code = to_code(request, args.as_code, redact=not args.show_secrets, files=files)
    except CodeError as exc:
        raise UsageError(str(exc)) from None
    sys.stdout.write(code)
    return EXIT_OK


def cmd_diagnose(args: argparse.Namespace) -> int:
    import asyncio

    request = build_cli_request(args)
    if args.as_code:
        return _print_code(args, request)
    with _h2_hidden_unless(args.http2):
        from app.net.transport import SendOptions, Transport

    options = SendOptions(
        timeout=args.timeout,
        deadline=args.max_time,
        follow_redirects=args.follow,
        verify=not args.insecure,
        http2=args.http2,
    )

    async def run():
        transport = Transport()
        try:
            # The client (TLS context, certificates) is built on a worker thread while this one reads the API docs
            # and loads the diagnosis code; nothing is sent before both are done.
            warming = asyncio.ensure_future(transport.warm(options))
            await asyncio.sleep(0)  # the worker thread starts
            try:
                catalog = _load_catalog(args.api_docs)
                _import_what_printing_needs(args)
            finally:
                await asyncio.gather(warming, return_exceptions=True)  # a failure is met again, as a sentence, by send
            return catalog, await transport.send(request, options)
        finally:
            await transport.aclose()

    catalog, exchange = asyncio.run(run())
    from app.core.clock import SystemClock
    from app.core.diagnosis import diagnose

    try:
        diag = diagnose(exchange, catalog, SystemClock().now(), typed_request=request)
        shown = _redacted(diag, args.show_secrets)
        if args.json:
            _print_json(shown.to_json())
        else:
            print(render_text(shown))
    finally:  # a body spilled to a temp file is read by nobody once the command has printed
        if exchange.response is not None and exchange.response.body_path:
            Path(exchange.response.body_path).unlink(missing_ok=True)
    return EXIT_OK if exchange.response is not None else EXIT_NO_RESPONSE


@contextmanager
def _h2_hidden_unless(http2: bool):
    """Import httpcore (with app.net.transport) without h2 and hpack (~10 ms) when HTTP/2 is not offered.

    httpcore imports h2 whenever it is installed, only to re-export its HTTP/2 connection classes; where it uses
    them (a connection that negotiated HTTP/2, which needs http2=True to be offered) it imports them again itself.
    A `diagnose` without --http2 offers only HTTP/1.1, so h2 is hidden while httpcore loads and visible again
    afterwards. Nothing changes when httpcore or h2 is already loaded (tests calling main() in one process)."""
    if http2 or "httpcore" in sys.modules or "h2" in sys.modules:
        yield
        return
    sys.modules["h2"] = None  # type: ignore[assignment]  # `import h2` raises ImportError meanwhile
    try:
        yield
    finally:
        if "h2" in sys.modules and sys.modules["h2"] is None:
            del sys.modules["h2"]


def _import_what_printing_needs(args: argparse.Namespace) -> None:
    """Import the modules `diagnose` needs once the answer is in, and read the version for the User-Agent
    (importlib.metadata), while the client's TLS context is being built on the worker thread."""
    import app
    import app.core.clock  # noqa: F401
    import app.core.diagnosis  # noqa: F401

    app.__version__  # noqa: B018  # cached: the client reads it for its User-Agent

    if not args.show_secrets:
        import app.core.redact  # noqa: F401
    if not args.json:
        import app.core.presentation  # noqa: F401


def cmd_triage(args: argparse.Namespace) -> int:
    from app.core.clock import SystemClock
    from app.core.formats.errors import FormatError
    from app.core.triage import MANY_KINDS, load_triage

    catalog = _load_catalog(args.api_docs)
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise UsageError(f"Could not read {args.file!r}: {exc.strerror or exc}.") from None
    try:
        loaded = load_triage(data, Path(args.file).name, catalog, SystemClock().now())
    except FormatError as exc:
        raise UsageError(f"{Path(args.file).name}: {exc}") from None
    in_file_order = sorted(loaded.rows, key=lambda row: row.number)  # the window lists failures first
    diags = [_redacted(row.diagnosis, args.show_secrets) for row in in_file_order]
    notes = [row.imported.warnings for row in in_file_order]
    if not args.show_secrets:  # a note may quote a header or URL of the file
        from app.core.redact import redact_text

        notes = [tuple(redact_text(w)[0] for w in n) for n in notes]
    if args.json:
        objects = [dict(d.to_json(), import_notes=list(n)) for d, n in zip(diags, notes)]
        _print_json(objects if loaded.kind in MANY_KINDS or len(objects) != 1 else objects[0])
    else:  # the notes the window shows: placeholders for files not read, ignored options, skipped blocks
        print("\n\n".join(render_text(d) + "".join("\n" + terminal_safe(f"⚠ Import note: {w}") for w in n)
                          for d, n in zip(diags, notes)))
    return EXIT_OK


def cmd_demo_server(args: argparse.Namespace) -> int:
    from app.demo.server import serve_forever

    def ready(url: str) -> None:
        print(f"Practice server listening on {url}  (Ctrl+C stops it)", flush=True)

    try:
        serve_forever(args.host, args.port, ready)
    except OSError as exc:
        raise UsageError(f"Could not listen on {args.host}:{args.port}: {exc.strerror or exc}.") from None
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = command_of(argv)
    parser = _build_parser(command)
    try:
        args = parser.parse_args(argv)
        if args.command is not None and args.command != command:  # not foreseen by command_of: build them all
            args = _build_parser().parse_args(argv)
        if args.command is None:
            from app.ui.launch import run_gui

            return run_gui(argv, smoke=args.smoke, api_docs=args.api_docs)
        if args.command == "diagnose":
            return cmd_diagnose(args)
        if args.command == "triage":
            return cmd_triage(args)
        if args.command in ("compare", "diff"):
            from app.cli_compare import cmd_compare

            return cmd_compare(args)
        if args.command == "run":
            from app.cli_run import cmd_run

            return cmd_run(args)
        return cmd_demo_server(args)
    except UsageError as exc:
        print_safe(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # a catalog that fails to load, and the like: a sentence, not a traceback
        from app.core.catalog import CatalogError

        if isinstance(exc, CatalogError):
            print_safe(str(exc), file=sys.stderr)
            return EXIT_USAGE
        raise


if __name__ == "__main__":
    raise SystemExit(main())
