"""`request-inspector run PATH`: saved requests sent in order and checked against their ``??`` expectations.

PATH is a ``.http``/``.rest`` file or a folder of them (sorted, recursively). Everything is read and checked before
the first request leaves: an unreadable file, an unreadable ``??`` line or a ``{{placeholder}}`` with no value is a
usage error (exit 1). Each request is then sent with the environment's variables (``--env NAME``; file variables
win), diagnosed, checked, and stored in the history. A 429/503 with Retry-After makes the run wait (shown on stderr,
at most ``--max-wait`` seconds) and send that request once more instead of hammering the API.
What is printed or written (text, --json, --junit) has its URLs and quoted header/body values redacted unless
--show-secrets. Exit codes: 0 every request passed, 3 any failed, 2 a request got no response, 1 a usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Awaitable, Callable

from app.core.assertions import Assertion, AssertionSyntaxError, check, parse_assertion
from app.core.checks import CheckResult, RunTotals, junit_xml, result_lines, run_json, total_line

EXIT_PASS, EXIT_FAIL = 0, 3
DEFAULT_MAX_WAIT = 60.0
RETRY_STATUSES = (429, 503)


def add_arguments(r) -> None:
    """The arguments of the `run` subcommand (app.cli lists it)."""
    r.add_argument("path", metavar="PATH", help="a .http file or a folder of them (sorted, recursively)")
    r.add_argument("--env", metavar="NAME", help="the environment whose variables fill {{placeholders}}")
    r.add_argument("--json", action="store_true", help="print exactly one JSON object")
    r.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report to FILE")
    r.add_argument("--max-wait", type=float, default=DEFAULT_MAX_WAIT, metavar="S",
                   help=f"wait at most S seconds for a Retry-After (default {DEFAULT_MAX_WAIT:g})")
    r.add_argument("--timeout", type=float, default=30.0, metavar="S", help="per-phase timeout in seconds")
    r.add_argument("--no-history", action="store_true", help="do not store the exchanges in the history")
    r.add_argument("--show-secrets", action="store_true",
                   help="do not redact URLs, cookies, tokens and keys in what is printed or written")


@dataclass(frozen=True)
class Planned:
    """A request ready to send: where it came from, what goes on the wire, what it must meet."""

    file: str
    name: str
    request: object  # HttpRequest
    assertions: tuple[Assertion, ...]


def request_files(path: Path) -> list[Path]:
    from app.cli import UsageError
    from app.store.collection import REQUEST_SUFFIXES

    if path.is_file():
        return [path]
    if not path.is_dir():
        raise UsageError(f"{str(path)!r} is neither a .http file nor a folder.")
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in REQUEST_SUFFIXES)
    if not files:
        raise UsageError(f"The folder {str(path)!r} holds no .http or .rest file.")
    return files


def environment(name: str | None) -> dict[str, str]:
    """The variables of environment ``name`` (secrets from the keyring); {} without --env."""
    from app.cli import UsageError

    if not name:
        return {}
    from app.paths import data_home
    from app.store.environments import Environments
    from app.store.secrets import PLAIN_FILE_NAME, choose_secret_store

    home = data_home()
    envs = Environments(home / "environments.json", choose_secret_store(home, (home / PLAIN_FILE_NAME).exists()))
    if name not in envs.names():
        known = ", ".join(envs.names()) or "none yet"
        raise UsageError(f"There is no environment called {name!r} (environments: {known}).")
    return envs.variables(name)


def saved_secrets(requests) -> dict[str, str]:
    """Values of the ``{{secret_…}}`` placeholders the window put in saved files, from the secret store."""
    from app.core.formats.http_file import unresolved
    from app.core.http_text import SECRET_VARIABLE_PREFIX
    from app.paths import data_home
    from app.store.secrets import PLAIN_FILE_NAME, choose_secret_store, saved_secret_key

    names = {n for r in requests for t in (r.url, *(v for _, v in r.headers), r.body or "")
             for n in unresolved(t, {}) if n.startswith(SECRET_VARIABLE_PREFIX)}
    if not names:
        return {}
    home = data_home()
    store = choose_secret_store(home, (home / PLAIN_FILE_NAME).exists())
    found = {n: store.get(saved_secret_key(n)) for n in sorted(names)}
    return {n: v for n, v in found.items() if v is not None}


def plan_file(file: Path, label: str, env: dict[str, str]) -> list[Planned]:
    """The requests of one file, expanded and with their expectations read; UsageError names what is wrong."""
    from app.cli import UsageError
    from app.core.formats.errors import FormatError
    from app.core.formats.http_file import expand, parse_http_file, unresolved
    from app.core.models import HttpRequest

    try:
        parsed = parse_http_file(file.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"Could not read {label}: {getattr(exc, 'strerror', None) or exc}.") from None
    except FormatError as exc:
        raise UsageError(f"{label}: {exc}") from None
    variables = {**saved_secrets(parsed.requests), **env, **parsed.variables}
    out = []
    for req in parsed.requests:
        name = req.name or f"{req.method} {req.url}"
        texts = [req.url, *(v for _, v in req.headers), req.body or ""]
        missing = list(dict.fromkeys(n for t in texts for n in unresolved(t, variables)))
        if missing:
            raise UsageError(f"{label}, request {name!r}: no value for {', '.join('{{' + m + '}}' for m in missing)}"
                             " (choose an environment with --env NAME).")
        try:
            assertions = tuple(parse_assertion(line) for line in req.assertions)
        except AssertionSyntaxError as exc:
            raise UsageError(f"{label}, request {name!r}: {exc}") from None
        body = expand(req.body, variables).encode("utf-8") if req.body is not None else None
        headers = tuple((k, expand(v, variables)) for k, v in req.headers)
        te = next((v for k, v in headers if k.lower() == "transfer-encoding"), "")
        request = HttpRequest(req.method, expand(req.url, variables), headers, body, chunked="chunked" in te.lower())
        out.append(Planned(label, name, request, assertions))
    return out


Sleep = Callable[[float], Awaitable[None]]


async def _send_checked(p: Planned, transport, options, catalog, max_wait: float, sleep: Sleep,
                        say: Callable[[str], None]) -> CheckResult:
    from app.core.diagnosis import diagnose

    notes: list[str] = []
    exchange = await transport.send(p.request, options)
    d = diagnose(exchange, catalog, time.time(), typed_request=p.request)
    resp = exchange.response
    if resp is not None and resp.status in RETRY_STATUSES and d.retry_after is not None:
        wait = max(0.0, d.retry_after.seconds)
        if wait <= max_wait:
            say(f"⏱ {resp.status} for {p.name}: waiting {wait:g} s as Retry-After asks, then sending it again…")
            await sleep(wait)
            notes.append(f"Answered {resp.status} first; waited {wait:g} s (Retry-After) and sent it again.")
            exchange = await transport.send(p.request, options)
            d = diagnose(exchange, catalog, time.time(), typed_request=p.request)
        else:
            notes.append(f"Retry-After asked for {wait:g} s, more than --max-wait {max_wait:g} s: not sent again.")
    results = tuple(check(a, d) for a in p.assertions)
    problem = None if exchange.response is not None else (exchange.error.text if exchange.error else "No response.")
    return CheckResult(p.file, p.name, p.request.method, p.request.url, d, results, problem, tuple(notes))


def _record(history, r: CheckResult) -> CheckResult:
    d = r.diagnosis
    if history is None or d is None:
        return r
    message = d.message.text if d.message is not None else None
    entry = history.add(d.exchange, documented=d.documented, findings=d.findings, message=message)
    return replace(r, history_id=entry)


async def run_checks(planned: list[Planned], catalog, *, timeout: float, max_wait: float, history=None,
                     sleep: Sleep = asyncio.sleep, say: Callable[[str], None] = lambda _t: None,
                     on_result: Callable[[CheckResult], None] = lambda _r: None) -> list[CheckResult]:
    """Send every planned request in order, check it, store it in ``history`` (when given)."""
    from app.net.transport import SendOptions, Transport

    transport = Transport()
    options = SendOptions(timeout=timeout)
    results: list[CheckResult] = []
    try:
        for p in planned:
            r = await _send_checked(p, transport, options, catalog, max_wait, sleep, say)
            try:
                r = _record(history, r)
            except Exception as exc:  # HistoryError: a sentence; the run goes on
                say(f"Not stored in the history: {exc}")
            results.append(r)
            on_result(r)
            resp = r.diagnosis.exchange.response if r.diagnosis else None
            if resp is not None and resp.body_path:  # a spilled body is read by nobody once checked
                Path(resp.body_path).unlink(missing_ok=True)
    finally:
        await transport.aclose()
    return results


def _open_history(skip: bool):
    if skip:
        return None
    from app.store.history import History

    try:
        from app.store.vault import command_line_vault

        return History(vault=command_line_vault())  # sealed like the window's, readable there afterwards
    except Exception as exc:  # HistoryError: a sentence
        print(f"The history is off for this run: {exc}", file=sys.stderr)
        return None


def explained(r: CheckResult, docs: bool) -> list[str]:
    """With --api-docs: the documented explanation (which operation or page row said it) and the error/warning
    findings, indented under the request's line. Secrets in finding texts are masked."""
    from app.core.redact import redact_text

    d = r.diagnosis
    if not docs or d is None:
        return []
    lines = []
    if d.documented is not None and d.documented.description:
        lines.append(f"    {d.documented.provenance}: {d.documented.description}")
    lines += [f"    {f.severity} {f.id}: {redact_text(f.text)[0]}" for f in d.findings
              if f.severity in ("error", "warning")]
    return lines


def with_explanations(out: dict, results: list[CheckResult]) -> dict:
    """``run_json`` plus each result's explanation and findings (secrets in finding texts masked)."""
    from app.core.redact import redact_text

    for item, r in zip(out["results"], results):
        d = r.diagnosis
        doc = None if d is None else d.documented
        item["explanation"] = None if doc is None else {
            "code": doc.code, "status": doc.status, "description": doc.description, "source": doc.source,
            "section": doc.section, "note": doc.note}
        item["findings"] = [] if d is None else [dict(f.to_json(), text=redact_text(f.text)[0]) for f in d.findings]
    return out


def cmd_run(args: argparse.Namespace) -> int:
    from app.cli import EXIT_NO_RESPONSE, UsageError, _load_catalog, _print_json, print_safe

    if args.max_wait < 0:
        raise UsageError("--max-wait must be 0 or more seconds.")
    root = Path(args.path)
    files = request_files(root)
    env = environment(args.env)
    base = root if root.is_dir() else root.parent
    planned = [p for f in files for p in plan_file(f, f.relative_to(base).as_posix(), env)]
    if not planned:
        raise UsageError(f"{args.path} holds no request.")
    catalog = _load_catalog(args.api_docs)
    history = _open_history(args.no_history)
    say = lambda text: print_safe(text, file=sys.stderr)  # noqa: E731
    docs = bool(args.api_docs)
    shown: Callable[[CheckResult], CheckResult] = (lambda r: r) if args.show_secrets else CheckResult.redacted
    show = (lambda r: None) if args.json else (
        lambda r: print_safe("\n".join(result_lines(shown(r)) + explained(r, docs))))
    started = time.monotonic()
    try:
        results = asyncio.run(run_checks(planned, catalog, timeout=args.timeout, max_wait=args.max_wait,
                                         history=history, say=say, on_result=show))
    finally:
        if history is not None:
            history.close()
    totals = RunTotals.of(results, time.monotonic() - started)
    results = [shown(r) for r in results]
    if args.json:
        _print_json(with_explanations(run_json(results, totals), results))
    else:
        print_safe(total_line(totals))
    if args.junit:
        try:
            Path(args.junit).write_text(junit_xml(results, totals), encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"Could not write the JUnit report {args.junit!r}: {exc.strerror or exc}.") from None
    if totals.no_response:
        return EXIT_NO_RESPONSE
    return EXIT_FAIL if totals.failed else EXIT_PASS
