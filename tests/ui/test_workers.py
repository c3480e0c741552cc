"""The one worker pool: work runs off the calling thread, on Python threads, and drain() retires the pool."""

from __future__ import annotations

import asyncio
import threading

from app.ui import workers


def test_run_and_submit_use_worker_threads_and_drain_makes_a_new_pool():
    async def main():
        return await workers.run(lambda: threading.current_thread())

    worker = asyncio.run(main())
    assert worker is not threading.main_thread() and worker.name.startswith("ri-worker")
    assert not isinstance(worker, threading._DummyThread)  # a Python thread (a QThread shows up as a dummy one)
    assert workers.submit(lambda x: x * 2, 21).result(timeout=5) == 42
    first = workers.pool()
    workers.drain()
    assert workers.pool() is not first


def test_install_makes_to_thread_use_the_same_pool():
    async def main():
        workers.install(asyncio.get_running_loop())
        return await asyncio.to_thread(lambda: threading.current_thread().name)

    assert asyncio.run(main()).startswith("ri-worker")
    workers.drain()
