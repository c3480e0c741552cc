"""One table for every benchmark: figure, ours, baseline, ratio, goal, verdict.

Each bench script builds ``Figure`` rows and calls ``report(rows)``: it prints the table for a person and, when
``BENCH_JSON=1`` is set (``tests/bench/bench_all.py`` sets it), one ``BENCH {json}`` line per row that the
aggregator collects into the single table of ``make bench``.

A goal is one of: ``max_ratio`` (ours / baseline at most that), ``max_value`` / ``min_value`` (ours, in ``unit``).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

PREFIX = "BENCH "


@dataclass(frozen=True)
class Figure:
    figure: str
    ours: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    max_ratio: float | None = None
    max_value: float | None = None
    min_value: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.ours / self.baseline

    @property
    def goal(self) -> str:
        if self.max_ratio is not None:
            return f"≤ {self.max_ratio:g}×"
        if self.max_value is not None:
            return f"< {_num(self.max_value)} {self.unit}"
        if self.min_value is not None:
            return f"≥ {_num(self.min_value)} {self.unit}"
        return "—"

    @property
    def verdict(self) -> str:
        if self.max_ratio is not None:
            r = self.ratio
            return "—" if r is None else ("ok" if r <= self.max_ratio else "MISSED")
        if self.max_value is not None:
            return "ok" if self.ours < self.max_value else "MISSED"
        if self.min_value is not None:
            return "ok" if self.ours >= self.min_value else "MISSED"
        return "—"

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Figure":
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def _num(value: float) -> str:
    if value == int(value) and abs(value) < 1e9:
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def _cells(f: Figure) -> list[str]:
    ours = f"{_num(f.ours)} {f.unit}"
    base = "—" if f.baseline is None else f"{_num(f.baseline)} {f.unit}"
    if f.baseline_name and f.baseline is not None:
        base += f" ({f.baseline_name})"
    ratio = "—" if f.ratio is None else f"{f.ratio:.2f}×"
    return [f.figure, ours, base, ratio, f.goal, f.verdict]


HEADER = ["figure", "ours", "baseline", "ratio", "goal", "verdict"]


def format_table(figures: list[Figure]) -> str:
    rows = [HEADER] + [_cells(f) for f in figures]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def report(figures: list[Figure]) -> None:
    """Print the table; with BENCH_JSON=1 also one machine-readable line per figure."""
    print(format_table(figures), flush=True)
    if os.environ.get("BENCH_JSON") == "1":
        for f in figures:
            print(PREFIX + json.dumps(f.to_json(), ensure_ascii=False), flush=True)
