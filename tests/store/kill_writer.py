"""Child process for tests/store/test_history.py::test_kill_mid_write.

Usage: python tests/store/kill_writer.py <db path>
Adds history entries in a tight loop and prints one line per COMMITTED id (after ``add`` returned),
flushing each line, until it is killed.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.core.models import Exchange, Finding, HttpRequest, HttpResponse, Timing  # noqa: E402
from app.store.history import History  # noqa: E402


def main(db: str) -> None:
    history = History(db)
    body = b"x" * 48_000  # big enough that the kill usually lands inside a write
    n = 0
    while True:
        n += 1
        exchange = Exchange(
            request=HttpRequest("POST", f"http://127.0.0.1/item/{n}", (("Content-Type", "text/plain"),), body),
            response=HttpResponse(201, "Created", headers=(("Content-Length", str(len(body))),), body=body),
            timing=Timing(total=0.01),
        )
        finding = Finding("x-test", "info", "response", "Content-Length", f"entry {n}")
        entry_id = history.add(exchange, documented=None, findings=[finding], message=f"entry {n}")
        sys.stdout.write(f"{entry_id}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1])
