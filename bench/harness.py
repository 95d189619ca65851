"""What every benchmark shares: a figure, a timer that reports the median, and the summary table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One measured figure; ``target`` is the issue's goal in the same unit, when it names one."""

    name: str
    value: float
    unit: str
    target: float | None = None
    lower_is_better: bool = True
    note: str = ""

    @property
    def meets_target(self) -> bool | None:
        if self.target is None:
            return None
        return self.value <= self.target if self.lower_is_better else self.value >= self.target


def median_seconds(work: Callable[[], object], *, repeat: int = 5, warmup: int = 1) -> float:
    """The median wall time of ``work`` over ``repeat`` runs, after ``warmup`` runs that are not counted."""
    for _ in range(warmup):
        work()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def table(figures: list[Figure]) -> str:
    rows = [("benchmark", "value", "unit", "target", "met")]
    for f in figures:
        met = {None: "", True: "yes", False: "NO"}[f.meets_target]
        target = "" if f.target is None else f"{'<=' if f.lower_is_better else '>='} {f.target:g}"
        rows.append((f.name, f"{f.value:,.3f}", f.unit, target, met))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
