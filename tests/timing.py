"""Timing for linear-time tests: the best of three runs, so a GC pause or a busy machine is not read as growth."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of_three(fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best
