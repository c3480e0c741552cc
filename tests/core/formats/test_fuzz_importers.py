"""Fuzzing every importer and the raw HTTP (wire) reader: random text and mutated real files.

What must hold for any input: the reader returns, or raises FormatError (a sentence), within a deadline; the
detector never raises; a loaded triage file renders (presentation) without an exception. Seeds are the real files
of tests/data and the hand-made fixtures; mutations flip, cut, repeat and splice in tokens that matter to the
formats (brackets, quotes, line ends, status lines, huge numbers, NUL, invalid UTF-8).

Every example runs under a wall-clock alarm (``DEADLINE_S``): a hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import signal
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.catalog import load_default_catalog
from app.core.formats.curl import parse_curl_commands
from app.core.formats.detect import detect_kind
from app.core.formats.errors import FormatError
from app.core.formats.har import parse_har
from app.core.formats.http_file import parse_http_file
from app.core.formats.postman import parse_postman
from app.core.formats.raw_http import parse_raw
from app.core.presentation import present
from app.core.triage import load_triage

DEADLINE_S = 5.0
ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted([p for kind in ("har", "postman", "http", "curl", "raw") for p in (ROOT / "data" / kind).iterdir()]
               + [p for p in (Path(__file__).parent / "fixtures").iterdir() if p.stat().st_size < 100_000])
SEED_BYTES = [p.read_bytes() for p in SEEDS]
TOKENS = [b"{", b"}", b"[", b"]", b'"', b":", b",", b"\\", b"\r\n", b"\n", b"\r\n\r\n", b"HTTP/1.1 100 Continue\r\n\r\n",
          b"HTTP/1.1 429 Too Many\r\nRetry-After: 99999999999999999999\r\n\r\n", b"Transfer-Encoding: chunked\r\n",
          b"Content-Length: -1\r\n", b"ffffffffffffffff\r\n", b"###\n", b"curl ", b" \\\n", b"<<EOF\n", b"@file",
          b"{{a}}", b"1e999", b"-1", b"null", b"true", b'"log"', b'"entries"', b"\x00", b"\xff\xfe", b"\xef\xbb\xbf",
          b"9999-12-31T23:59:59Z", b"Fri, 31 Dec 9999 23:59:59 GMT", b"{%", b"%}", b"/*", b"*/", b"'", b"$'", b"^"]
FAST = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@contextmanager
def alarm(seconds: float) -> Iterator[None]:
    """Fail (TimeoutError) when the block runs longer than ``seconds`` of wall-clock time."""

    def expired(signum, frame):  # type: ignore[no-untyped-def]
        raise TimeoutError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A real file with a few mutations: byte flips, cuts, repeats, splices of format tokens, truncation."""
    data = bytearray(draw(st.sampled_from(SEED_BYTES)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "cut", "repeat", "splice", "truncate"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[pos:pos + draw(st.integers(1, 64))]
        elif op == "repeat":
            piece = bytes(data[pos:pos + draw(st.integers(1, 64))])
            data[pos:pos] = piece * draw(st.integers(1, 50))
        elif op == "splice":
            data[pos:pos] = draw(st.sampled_from(TOKENS)) * draw(st.integers(1, 20))
        else:
            data = data[:pos]
    return bytes(data)


random_bytes = st.binary(max_size=400) | st.lists(st.sampled_from(TOKENS), max_size=40).map(b"".join)
inputs = mutated() | random_bytes


def only_sentences(read: Callable[[bytes], object], data: bytes) -> None:
    """``read(data)`` returns or raises FormatError with a non-empty sentence, before the deadline."""
    with alarm(DEADLINE_S):
        try:
            read(data)
        except FormatError as exc:
            assert str(exc).strip()


def as_text(data: bytes) -> str:
    return data.decode("utf-8", errors="surrogateescape")


READERS: dict[str, Callable[[bytes], object]] = {
    "har": parse_har,
    "raw": parse_raw,
    "postman": parse_postman,
    "curl": lambda data: parse_curl_commands(as_text(data)),
    "http file": lambda data: parse_http_file(as_text(data)),
}


@pytest.mark.parametrize("name", list(READERS))
@FAST
@given(data=inputs)
def test_every_reader_answers_with_a_result_or_a_sentence(name: str, data: bytes) -> None:
    only_sentences(READERS[name], data)


@FAST
@given(data=inputs, name=st.sampled_from(["", "x.http", "capture.har", "a.rest"]))
def test_the_detector_never_raises(data: bytes, name: str) -> None:
    with alarm(DEADLINE_S):
        detect_kind(as_text(data), name or None)


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_default_catalog()


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(data=inputs)
def test_triage_loads_and_renders_or_says_why(catalog, data: bytes) -> None:  # type: ignore[no-untyped-def]
    """The support person's path end to end: detect, read, diagnose, render every row."""
    with alarm(DEADLINE_S):
        try:
            load = load_triage(data, "customer-file", catalog, time.time())
        except FormatError as exc:
            assert str(exc).strip()
            return
        for row in load.rows:
            view = present(row.diagnosis, now=time.time())
            assert view.status_line and all(len(value) < 200 for _, value in view.timings)


def test_the_alarm_stops_a_hang() -> None:
    with pytest.raises(TimeoutError):
        with alarm(0.05):
            while True:
                pass


HOSTILE = {
    "HAR nested 100,000 levels": b'{"log": {"entries": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}}",
    "JSON nested 100,000 levels": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "array nested 100,000 levels": b"[" * 100_000 + b"]" * 100_000,
    "body nested 100,000 levels": (b'{"log": {"entries": [{"request": {"method": "POST", "url": "http://x/", '
                                   b'"postData": {"text": "' + b"[" * 100_000 + b'"}}, "response": {"status": 400, '
                                   b'"content": {"mimeType": "application/json", "text": "' + b"[" * 100_000
                                   + b'"}}}]}}'),
    "raw exchange dated 9999 with Retry-After": (b"HTTP/1.1 429 Too Many\r\nDate: Fri, 31 Dec 9999 23:59:59 GMT\r\n"
                                                 b"Retry-After: 120\r\nRateLimit-Reset: 60\r\n\r\n"),
    "HAR started in 9999, time 1e300": (b'{"log": {"entries": [{"startedDateTime": "9999-12-31T23:59:59Z", '
                                        b'"time": 1e300, "request": {"method": "GET", "url": "http://x/"}, '
                                        b'"response": {"status": 429, "bodySize": 1e300, "headers": [{"name": '
                                        b'"Retry-After", "value": "10"}], "content": {"size": 1e300, "text": "x"}},'
                                        b' "timings": {"wait": 1e300, "send": Infinity, "receive": -1e300}}]}}'),
    "50,000 interim responses": b"HTTP/1.1 100 Continue\r\n\r\n" * 50_000 + b"HTTP/1.1 200 OK\r\n\r\n",
    "200,000 headers": b"HTTP/1.1 200 OK\r\n" + b"X-A: 1\r\n" * 200_000 + b"\r\n",
}


@pytest.mark.parametrize("data", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_files_get_a_diagnosis_or_a_sentence(catalog, data: bytes) -> None:  # type: ignore[no-untyped-def]
    with alarm(DEADLINE_S):
        try:
            load = load_triage(data, "hostile", catalog, time.time())
        except FormatError as exc:
            assert str(exc).strip() and "Error:" not in str(exc)  # a sentence, not "RecursionError: …"
            return
        for row in load.rows:
            view = present(row.diagnosis, now=time.time())
            shown = " ".join([view.status_line, view.retry.sentence if view.retry else "", view.rate_limit or "",
                              view.started or "", *(v for _, v in view.timings), *(f.text for f in view.findings)])
            assert "inf" not in shown.split() and " at after" not in shown
            assert max(len(word) for word in shown.split()) < 40  # no 300-digit numbers
