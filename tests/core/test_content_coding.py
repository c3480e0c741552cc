"""Content-coding decoders (gzip, deflate, br, zstd, stacked): bounded steps, bombs, corrupt data, recorded bodies."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.content_coding import (
    MAX_CODINGS,
    STEP,
    ChainDecoder,
    DecodeError,
    decode_recorded,
    decoder_chain,
    size_line,
    zstd,
)
from app.core.models import HttpResponse

ZEROS = bytes(1024 * 1024)


def br_zeros(mib: int) -> bytes:
    """brotli of ``mib`` MiB of zeros, built a MiB at a time (a few hundred bytes for hundreds of MiB)."""
    c = brotli.Compressor(quality=5)
    return b"".join(c.process(ZEROS) for _ in range(mib)) + c.finish()


def zstd_zeros(mib: int) -> bytes:
    c = zstd.ZstdCompressor(level=3)
    return b"".join(c.compress(ZEROS) for _ in range(mib)) + c.flush()


def decode_all(encoding: str | None, wire: bytes, split: int) -> bytes:
    dec = ChainDecoder(encoding)
    out = bytearray()
    for i in range(0, len(wire), split):
        for piece in dec.feed(wire[i:i + split]):
            assert len(piece) <= STEP
            out += piece
    for piece in dec.flush():
        assert len(piece) <= STEP
        out += piece
    return bytes(out)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=5000) | st.text(max_size=3000).map(str.encode),
       split=st.integers(min_value=1, max_value=700))
def test_br_zstd_and_stacked_round_trip_whatever_the_chunking(data, split):
    assert decode_all("br", brotli.compress(data), split) == data
    assert decode_all("zstd", zstd.compress(data), split) == data
    assert decode_all("gzip, br", brotli.compress(gzip.compress(data)), split) == data
    assert decode_all("br, zstd, deflate", zlib.compress(zstd.compress(brotli.compress(data))), split) == data


def test_concatenated_zstd_frames_decode_as_one_body():
    wire = zstd.compress(b"one ") + zstd.compress(b"two")
    assert decode_all("zstd", wire, 3) == b"one two"
    assert decode_all("zstd", wire, len(wire)) == b"one two"


@pytest.mark.parametrize("coding, wire", [("br", br_zeros(256)), ("zstd", zstd_zeros(256))], ids=["br", "zstd"])
def test_a_bomb_comes_out_in_bounded_pieces_and_can_be_stopped(coding, wire):
    assert len(wire) < 10_000  # 256 MiB from a few KB
    dec = ChainDecoder(coding)
    seen = 0
    for piece in dec.feed(wire):
        assert len(piece) <= STEP
        seen += len(piece)
        if seen > 3 * 1024 * 1024:
            break  # what a capped reader does: nothing beyond one step was ever expanded
    assert 3 * 1024 * 1024 < seen <= 3 * 1024 * 1024 + STEP


@pytest.mark.parametrize("coding, wire, words", [
    ("br", b"not brotli at all", "br"),
    ("zstd", b"not zstd at all", "zstd"),
    ("zstd", zstd.compress(b"x" * 1000)[:-3], "ends inside"),
    ("br", brotli.compress(b"x" * 100_000)[:-2], "ends before"),
    ("zstd", zstd.compress(b"ok") + b"trailing junk", "zstd"),
])
def test_corrupt_or_cut_streams_are_decode_errors(coding, wire, words):
    with pytest.raises(DecodeError, match=words):
        decode_all(coding, wire, 5)


def test_zstd_frames_asking_for_more_than_an_8_mib_window_are_refused():
    c = zstd.ZstdCompressor(options={zstd.CompressionParameter.window_log: 27})
    with pytest.raises(DecodeError, match="memory"):
        decode_all("zstd", c.compress(b"x" * 100) + c.flush(), 100)


def test_too_many_stacked_codings_are_not_decoded():
    decoders, unknown = decoder_chain(", ".join(["gzip"] * (MAX_CODINGS + 1)))
    assert decoders == [] and "stacked" in unknown[0]
    assert len(decoder_chain(", ".join(["gzip"] * MAX_CODINGS))[0]) == MAX_CODINGS
    assert decoder_chain("identity, br")[1] == [] and len(decoder_chain("identity, br")[0]) == 1


def test_recorded_body_is_decoded_when_its_bytes_are_encoded():
    data = b'{"Message": "hello"}' * 50
    r = decode_recorded(brotli.compress(gzip.compress(data)), "gzip, br")
    assert r.decoded and r.body == data and r.note is None


def test_recorded_body_already_decoded_by_the_tool_is_kept_quietly():
    for coding in ("br", "zstd", "gzip", "deflate", "br, gzip"):
        r = decode_recorded(b'{"Message": "already plain"}', coding)
        assert not r.decoded and r.body == b'{"Message": "already plain"}' and r.note is None
    assert decode_recorded(b";", "br").body == b";"  # ';' is also an empty brotli stream


def test_recorded_binary_that_does_not_decode_gets_a_sentence():
    r = decode_recorded(b"\x89PNG\r\n\x1a\n\xff\xfe", "zstd")
    assert not r.decoded and r.body.startswith(b"\x89PNG") and "do not decode" in r.note


def test_recorded_bomb_stops_at_the_limit_with_a_sentence():
    r = decode_recorded(zstd_zeros(64), "zstd", limit=1024 * 1024)
    assert r.truncated and len(r.body) == 1024 * 1024 and "expands to more than 1 MB" in r.note


def test_size_line_names_both_sizes_and_the_codings():
    resp = HttpResponse(200, headers=(("Content-Encoding", "gzip, br"),), body=b"x" * 5000, wire_bytes=1234,
                        decoded_bytes=5000)
    assert size_line(resp) == "Received 1.2 KB (1,234 B) (Content-Encoding: gzip, br) → decoded 4.9 KB (5,000 B)."
    assert size_line(HttpResponse(200, body=b"abc", wire_bytes=3)) == "Received 3 B, no content coding."
    assert "not decoded" in size_line(HttpResponse(200, headers=(("Content-Encoding", "compress"),), body=b"ab",
                                                   wire_bytes=2))
    assert "not recorded" in size_line(HttpResponse(200, headers=(("Content-Encoding", "br"),), body=b"ab"))


# gzip and deflate (moved here with the decoders from app/net/body.py)


def raw_deflate(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return c.compress(data) + c.flush()


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=5000), split=st.integers(min_value=1, max_value=700))
def test_round_trip_whatever_the_chunking(data, split):
    assert decode_all("gzip", gzip.compress(data), split) == data
    assert decode_all("deflate", zlib.compress(data), split) == data
    assert decode_all("deflate", raw_deflate(data), split) == data
    assert decode_all("gzip, deflate", zlib.compress(gzip.compress(data)), split) == data
    assert decode_all(None, data, split) == data


def test_concatenated_gzip_members():
    assert decode_all("gzip", gzip.compress(b"one ") + gzip.compress(b"two"), 3) == b"one two"


def test_highly_compressed_input_never_yields_big_pieces():
    wire = gzip.compress(b"\0" * (8 * 1024 * 1024))
    dec = ChainDecoder("gzip")
    sizes = [len(p) for p in dec.feed(wire)]
    assert max(sizes) <= STEP and sum(sizes) == 8 * 1024 * 1024


def test_unknown_coding_means_no_decoding():
    decoders, unknown = decoder_chain("gzip, compress")
    assert decoders == [] and unknown == ["compress"]
    assert decoder_chain("identity") == ([], [])


def test_corrupt_data_is_decode_error():
    with pytest.raises(DecodeError):
        decode_all("gzip", b"definitely not gzip", 100)


@pytest.mark.parametrize("coding", ["gzip", "zstd"])
def test_thousands_of_empty_members_are_refused_not_decoded_in_quadratic_time(coding):
    """Each gzip member / zstd frame copied the rest of the body: 4 MB of empty members took 12 s (gzip), 2 MB
    of empty frames 20 s (zstd), with nothing decoded to stop them."""
    import gzip as gzip_module
    import time

    from backports import zstd as zstd_module

    empty = gzip_module.compress(b"", mtime=0) if coding == "gzip" else zstd_module.compress(b"")
    body = empty * (4 * 1024 * 1024 // len(empty))
    start = time.perf_counter()
    recorded = decode_recorded(body, coding)
    assert time.perf_counter() - start < 2.0
    assert recorded.body == body  # shown as recorded, with a sentence
    few = empty * 50 + (gzip_module.compress(b"ok", mtime=0) if coding == "gzip" else zstd_module.compress(b"ok"))
    assert decode_recorded(few, coding).body == b"ok"  # a handful of members still decodes
