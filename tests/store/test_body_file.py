"""app/store/body_file.py: only regular files are read as bodies, never past the limit, never blocking on a pipe."""

from __future__ import annotations

import errno
import os
import threading

import pytest

from app.core.draft import BuildError, RequestDraft, build_request
from app.store.body_file import NOT_REGULAR, read_body_file, read_for_preview


def test_a_regular_file_is_read_whole(tmp_path) -> None:
    f = tmp_path / "b.bin"
    f.write_bytes(bytes(range(256)) * 10)
    assert read_body_file(str(f)) == bytes(range(256)) * 10


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_at_once(path) -> None:
    with pytest.raises(OSError) as info:
        read_body_file(path)
    assert info.value.errno == errno.EINVAL and info.value.strerror == NOT_REGULAR


def test_a_folder_is_refused(tmp_path) -> None:
    with pytest.raises(OSError, match="not a regular file"):
        read_body_file(str(tmp_path))


@pytest.mark.timeout(10)
def test_a_fifo_is_refused_without_blocking(tmp_path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    done = threading.Event()
    errors: list[OSError] = []

    def read() -> None:
        try:
            read_body_file(str(fifo))
        except OSError as exc:
            errors.append(exc)
        done.set()

    threading.Thread(target=read, daemon=True).start()
    assert done.wait(2), "reading a FIFO blocked"
    assert errors and errors[0].strerror == NOT_REGULAR


def test_over_the_limit_is_refused_and_preview_counts_it_empty(tmp_path) -> None:
    f = tmp_path / "big.bin"
    f.write_bytes(b"x" * 2000)
    with pytest.raises(OSError) as info:
        read_body_file(str(f), limit=1000)
    assert info.value.errno == errno.EFBIG and "larger than" in info.value.strerror
    big = tmp_path / "preview.bin"
    big.write_bytes(b"x" * (1024 * 1024 + 1))
    assert read_for_preview(str(big)) == b""


def test_the_build_error_is_a_sentence() -> None:
    draft = RequestDraft(method="POST", url="http://127.0.0.1:9/", body_kind="binary", binary_path="/dev/zero")
    with pytest.raises(BuildError) as info:
        build_request(draft, read_file=read_body_file)
    assert str(info.value) == f"Could not read the body file '/dev/zero': {NOT_REGULAR}."
