import os

# Qt without a display: set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Import hypothesis now, on the main thread, before any test starts worker threads. pytest rewrites the asserts of
# plugin packages (hypothesis is one) with ast.parse at import time, and Python 3.11's AST construction keeps its
# recursion depth in shared state: a lazy import at session end, while a GUI test's worker thread was still busy,
# failed with "SystemError: AST constructor recursion depth mismatch" (seen with tests/ui/test_main_window.py alone).
import hypothesis  # noqa: E402,F401
import hypothesis.internal.observability  # noqa: E402,F401

import pytest  # noqa: E402


@pytest.fixture(scope="module")
def demo():
    """The practice server on 127.0.0.1 (a free port), one per test module; rate limit high enough not to interfere."""
    from app.demo.server import DemoServerThread

    server = DemoServerThread(rate_limit=1000, rate_window=60.0)
    url = server.start()
    yield url
    server.stop()
