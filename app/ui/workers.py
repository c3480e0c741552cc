"""The one way work leaves the GUI thread: a pool of plain Python worker threads.

Disk, sqlite, parsing and formatting run here so the Qt event loop keeps painting and ticking. The pool is also
installed as the running loop's default executor, so a library's ``asyncio.to_thread`` (httpx client set-up in
app.net) lands on the same threads. Python threads, not qasync's QThreads: a QThread still running when the
interpreter exits aborts the process ("QThread: Destroyed while thread is still running"); Python threads are
joined at exit instead.
"""

from __future__ import annotations

import functools
import threading
from typing import TYPE_CHECKING, Any, Callable, TypeVar

if TYPE_CHECKING:  # both load on first use: importing this module must not pull asyncio in before the first paint
    import asyncio
    from concurrent.futures import Future, ThreadPoolExecutor

T = TypeVar("T")

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def pool() -> ThreadPoolExecutor:
    """The shared pool (created on first use, again after :func:`drain`)."""
    global _pool
    with _lock:
        if _pool is None:
            from concurrent.futures import ThreadPoolExecutor

            _pool = ThreadPoolExecutor(thread_name_prefix="ri-worker")
        return _pool


def install(loop: asyncio.AbstractEventLoop) -> None:
    """Make the pool ``loop``'s default executor (what ``asyncio.to_thread`` and ``run_in_executor(None)`` use)."""
    if not loop.is_closed():
        loop.set_default_executor(pool())


async def run(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Await ``fn(*args, **kwargs)`` run on a worker thread."""
    import asyncio

    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(pool(), functools.partial(fn, *args, **kwargs))


def submit(fn: Callable[..., T], *args: Any, **kwargs: Any) -> Future:
    """Start ``fn`` on a worker thread from code that is not a coroutine; the caller watches the Future."""
    return pool().submit(fn, *args, **kwargs)


def drain() -> None:
    """Wait for running work, drop queued work and retire the pool (exit, and each GUI test's teardown)."""
    global _pool
    with _lock:
        old, _pool = _pool, None
    if old is not None:
        old.shutdown(wait=True, cancel_futures=True)
