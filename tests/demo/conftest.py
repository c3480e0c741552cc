from __future__ import annotations

import httpx
import pytest

from app.core.clock import ManualClock
from app.demo.server import DemoServerThread


@pytest.fixture(scope="module")
def demo_url():
    """One shared server for tests that do not use up state (rate limit, orders)."""
    server = DemoServerThread(rate_limit=1000, idle_timeout=5.0)
    url = server.start()
    yield url
    server.stop()


@pytest.fixture
def clock():
    return ManualClock(1_700_000_000.0)


@pytest.fixture
def fresh(clock):
    """A server of its own with a manual clock and a small rate limit (3 POSTs per 60 s)."""
    server = DemoServerThread(rate_limit=3, rate_window=60.0, clock=clock, idle_timeout=5.0)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def client(demo_url):
    with httpx.Client(base_url=demo_url, timeout=10.0) as c:
        yield c


@pytest.fixture
def fresh_client(fresh):
    with httpx.Client(base_url=fresh.url, timeout=10.0) as c:
        yield c
