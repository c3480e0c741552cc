"""HTTP content codings (gzip, deflate, br, zstd): incremental decoders that never expand a body in one step.

One place for decoding, used by the transport (bytes as they stream in) and by the importers of raw HTTP and HAR
(bytes as recorded). Every decoder step yields at most ``STEP`` bytes, so a tiny compressed body can never become
a giant bytes object: the caller counts what comes out and stops at its cap (a decompression bomb).
- gzip / x-gzip (several members too) and deflate (zlib-wrapped or raw) come from the standard library's zlib;
- br from Google's ``brotli`` (1.2+: ``output_buffer_limit`` bounds each step);
- zstd from ``compression.zstd`` (Python 3.14) or its backport ``backports.zstd`` (``max_length`` bounds each
  step; python-zstandard's decompressobj cannot); frames asking for a window over 8 MiB are refused, as RFC 9659
  lets HTTP clients do, so one header cannot make the decoder reserve gigabytes.
Stacked codings (``Content-Encoding: gzip, br``) are undone last first; more than ``MAX_CODINGS`` are not decoded
at all (each link costs memory and time, and no real server stacks more).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol
import zlib

from app.core.humanize import human_size
from app.core.models import HttpResponse, header_value

STEP = 64 * 1024  # largest piece any decoder yields at once
SUPPORTED_ENCODINGS = ("gzip", "deflate", "br", "zstd")  # what clients may offer in Accept-Encoding
MAX_CODINGS = 5  # more stacked codings than this are refused (each link costs a decoder)
# gzip members / zstd frames in one body: each one copies the rest of the input (the decompressor's unused_data),
# so thousands of empty members cost quadratic time (4 MB of them took 12 s) while the output stays empty.
MAX_MEMBERS = 100
ZSTD_WINDOW_LOG_MAX = 23  # 8 MiB: RFC 9659's window limit for zstd in HTTP
MAX_RECORDED_DECODE = 256 * 1024 * 1024  # an imported body decodes to at most this much


def _zstd():
    """The zstd module, imported when a zstd body is first decoded (not by every command that may decode one)."""
    try:  # Python 3.14+
        from compression import zstd  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - depends on the Python version
        from backports import zstd  # type: ignore[no-redef]
    return zstd


def __getattr__(name: str):
    # ``from app.core.content_coding import zstd`` (the demo server, tests): the module this file decodes with.
    if name == "zstd":
        return _zstd()
    if name == "brotli":
        import brotli

        return brotli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class DecodeError(Exception):
    """The body claims a content coding but its bytes do not decode."""


def _next_member(count: int, what: str) -> int:
    if count >= MAX_MEMBERS:
        raise DecodeError(f"more than {MAX_MEMBERS} {what} in one body: not decoded (each one costs a pass over "
                          "the rest of the body)")
    return count + 1


class _Decoder(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...

    def flush(self) -> Iterator[bytes]: ...


def _pieces(data: bytes) -> Iterator[bytes]:
    for start in range(0, len(data), STEP):
        yield data[start : start + STEP]


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        return _pieces(data)

    def flush(self) -> Iterator[bytes]:
        return iter(())


def _bounded(obj: zlib._Decompress, data: bytes) -> Iterator[bytes]:  # type: ignore[name-defined]
    """Decompress ``data`` in pieces of at most STEP bytes (never one giant output)."""
    buf = data
    while True:
        out = obj.decompress(buf, STEP)
        if out:
            yield out
        buf = obj.unconsumed_tail
        if not buf and len(out) < STEP:
            return


class _Gzip:
    """gzip / x-gzip, including several concatenated members."""

    def __init__(self) -> None:
        self._obj = zlib.decompressobj(zlib.MAX_WBITS | 16)
        self._members = 1

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            while data:
                yield from _bounded(self._obj, data)
                data = b""
                if self._obj.eof and self._obj.unused_data:
                    data = self._obj.unused_data
                    self._members = _next_member(self._members, "gzip members")
                    self._obj = zlib.decompressobj(zlib.MAX_WBITS | 16)
        except zlib.error as exc:
            raise DecodeError(f"gzip: {exc}") from exc

    def flush(self) -> Iterator[bytes]:
        try:
            out = self._obj.flush()
        except zlib.error as exc:  # pragma: no cover - flush rarely fails
            raise DecodeError(f"gzip: {exc}") from exc
        if out:
            yield out


class _Deflate:
    """deflate: zlib-wrapped as the RFC says, or raw deflate as some servers send it (like httpx accepts)."""

    def __init__(self) -> None:
        self._obj: zlib._Decompress | None = None  # type: ignore[name-defined]
        self._head = b""

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._obj is None:
            self._head += data
            if len(self._head) < 2:
                return
            cmf, flg = self._head[0], self._head[1]
            wrapped = (cmf & 0x0F) == 8 and (cmf * 256 + flg) % 31 == 0
            self._obj = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
            data, self._head = self._head, b""
        try:
            yield from _bounded(self._obj, data)
        except zlib.error as exc:
            raise DecodeError(f"deflate: {exc}") from exc

    def flush(self) -> Iterator[bytes]:
        if self._obj is None:
            if self._head:
                raise DecodeError("deflate: body too short")
            return
        try:
            out = self._obj.flush()
        except zlib.error as exc:  # pragma: no cover
            raise DecodeError(f"deflate: {exc}") from exc
        if out:
            yield out


class _Brotli:
    """br: each ``process`` call is bounded by ``output_buffer_limit``; the rest comes out with empty input."""

    def __init__(self) -> None:
        import brotli

        self._obj = brotli.Decompressor()
        self._seen = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        if not data:
            return
        import brotli

        self._seen = True
        try:
            yield from _pieces(self._obj.process(data, output_buffer_limit=STEP))
            while not self._obj.is_finished():  # output held back by the limit comes out with empty input
                out = self._obj.process(b"", output_buffer_limit=STEP)
                if not out:
                    break
                yield from _pieces(out)
        except brotli.error as exc:
            raise DecodeError(f"br: {exc or 'the data is not a brotli stream'}") from exc

    def flush(self) -> Iterator[bytes]:
        if self._seen and not self._obj.is_finished():
            raise DecodeError("br: the body ends before the end of the brotli stream")
        return iter(())


class _Zstd:
    """zstd, including several concatenated frames; ``max_length`` bounds every call."""

    def __init__(self) -> None:
        self._obj = self._new()
        self._seen = False
        self._members = 1

    @staticmethod
    def _new():
        zstd = _zstd()
        return zstd.ZstdDecompressor(options={zstd.DecompressionParameter.window_log_max: ZSTD_WINDOW_LOG_MAX})

    def feed(self, data: bytes) -> Iterator[bytes]:
        zstd = _zstd()
        try:
            while data or not (self._obj.eof or self._obj.needs_input):
                if self._obj.eof:  # the next frame starts
                    self._members = _next_member(self._members, "zstd frames")
                    self._obj = self._new()
                self._seen = True
                out = self._obj.decompress(data, STEP)
                data = self._obj.unused_data if self._obj.eof else b""
                if out:
                    yield out
        except (zstd.ZstdError, EOFError) as exc:
            raise DecodeError(f"zstd: {exc}") from exc

    def flush(self) -> Iterator[bytes]:
        if self._seen and not self._obj.eof:
            raise DecodeError("zstd: the body ends inside a zstd frame")
        return iter(())


_DECODERS = {"gzip": _Gzip, "x-gzip": _Gzip, "deflate": _Deflate, "br": _Brotli, "zstd": _Zstd}


def codings_of(content_encoding: str | None) -> list[str]:
    """``'gzip, BR'`` -> ``['gzip', 'br']`` in the order they were applied (identity left out)."""
    if not content_encoding:
        return []
    return [c for c in (p.strip().lower() for p in content_encoding.split(",")) if c and c != "identity"]


def decoder_chain(content_encoding: str | None) -> tuple[list[_Decoder], list[str]]:
    """Decoders for a Content-Encoding header value, in the order to apply them, and codings we cannot decode.

    When any coding is unknown (or there are more than MAX_CODINGS), no decoding is done at all (the body is kept
    as received).
    """
    codings = codings_of(content_encoding)
    if len(codings) > MAX_CODINGS:
        return [], [f"{len(codings)} stacked codings (more than {MAX_CODINGS})"]
    unknown = [c for c in codings if c not in _DECODERS]
    if unknown:
        return [], unknown
    return [_DECODERS[c]() for c in reversed(codings)], []  # the last coding applied is the first to undo


class ChainDecoder:
    """Feed raw wire bytes, get decoded pieces of at most STEP bytes."""

    def __init__(self, content_encoding: str | None) -> None:
        self.decoders, self.unknown = decoder_chain(content_encoding)

    def _through(self, pieces: Iterator[bytes], index: int) -> Iterator[bytes]:
        if index == len(self.decoders):
            yield from pieces
            return
        dec = self.decoders[index]
        for piece in pieces:
            yield from self._through(dec.feed(piece), index + 1)

    def feed(self, data: bytes) -> Iterator[bytes]:
        if not self.decoders:
            yield from _pieces(data)
            return
        yield from self._through(iter((data,)), 0)

    def flush(self) -> Iterator[bytes]:
        for index, dec in enumerate(self.decoders):
            yield from self._through(dec.flush(), index + 1)


@dataclass(frozen=True)
class Recorded:
    """A recorded body (raw HTTP, HAR) after undoing its content codings where its bytes really are encoded.

    ``decoded`` is False when the body is kept as recorded: no coding, a coding this app cannot decode, or bytes
    that do not decode (tools usually record the body already decoded while keeping the Content-Encoding header).
    ``truncated`` is True when decoding stopped at the cap; ``note`` is a sentence for the user, or None.
    """

    body: bytes
    decoded: bool = False
    truncated: bool = False
    note: str | None = None


def _looks_like_text(body: bytes) -> bool:
    try:
        body[:4096].decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > 4090  # a character cut at the sample's end is still text
    return True


def decode_recorded(body: bytes, content_encoding: str | None, limit: int = MAX_RECORDED_DECODE) -> Recorded:
    """Undo ``content_encoding`` on a body as recorded, yielding at most ``limit`` bytes (a bomb stops there)."""
    codings = codings_of(content_encoding)
    if not body or not codings:
        return Recorded(body)
    chain = ChainDecoder(content_encoding)
    label = ", ".join(codings)
    if chain.unknown:
        return Recorded(body, note=None if _looks_like_text(body) else
                        f"The body is encoded with {', '.join(chain.unknown)}, which this app cannot decode; "
                        "it is shown as recorded.")
    out = bytearray()
    try:
        for piece in _chain_all(chain, body):
            if len(out) + len(piece) > limit:
                out += piece[: limit - len(out)]
                return Recorded(bytes(out), decoded=True, truncated=True, note=(
                    f"The {label}-encoded body ({human_size(len(body))}) expands to more than {human_size(limit)}; "
                    f"only the first {human_size(limit)} are shown (a decompression bomb, or a very large body)."))
            out += piece
    except DecodeError:
        if _looks_like_text(body):  # the tool that saved it had decoded it already: nothing to say
            return Recorded(body)
        return Recorded(body, note=f"The body is labelled Content-Encoding: {label} but its bytes do not decode "
                                   "as that; it is shown as recorded.")
    if not out and _looks_like_text(body):  # ';' is a valid empty brotli stream, and also just text
        return Recorded(body)
    return Recorded(bytes(out), decoded=True)


class RecordedBudget:
    """Decodes the recorded bodies of one file (a HAR's entries) within one total of decoded bytes, so a file of
    thousands of small bombs cannot expand to thousands of times the limit."""

    def __init__(self, total: int = MAX_RECORDED_DECODE) -> None:
        self.total = self.left = total

    def decode(self, body: bytes, content_encoding: str | None) -> Recorded:
        if not body or not codings_of(content_encoding):
            return Recorded(body)
        if self.left <= 0:
            return Recorded(body, note=f"This body was not decoded: the file's bodies already decode to "
                                       f"{human_size(self.total)}, the most this app expands from one file.")
        rec = decode_recorded(body, content_encoding, self.left)
        if rec.decoded:
            self.left -= len(rec.body)
        return rec


def _chain_all(chain: ChainDecoder, body: bytes) -> Iterator[bytes]:
    yield from chain.feed(body)
    yield from chain.flush()


def _size(n: int) -> str:
    return human_size(n) if n < 1024 else f"{human_size(n)} ({n:,} B)"


def size_line(response: HttpResponse) -> str:
    """What the Raw view says about sizes: ``'Received 1.2 KB (1,234 B) (Content-Encoding: br) → decoded 15 KB
    (15,360 B).'``"""
    codings = codings_of(header_value(response.headers, "Content-Encoding"))
    decoded = max(response.decoded_bytes or 0, len(response.body))
    wire = response.wire_bytes
    if not codings:
        return f"Received {_size(wire if wire is not None else decoded)}, no content coding."
    label = ", ".join(codings)
    if ChainDecoder(label).unknown:
        return f"Received {_size(wire if wire is not None else decoded)}, {label}: not decoded (shown as received)."
    if wire is None:
        return f"Decoded {_size(decoded)} ({label}; the size as received was not recorded)."
    return f"Received {_size(wire)} (Content-Encoding: {label}) → decoded {_size(decoded)}."
