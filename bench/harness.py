"""What every benchmark shares: a figure (ours, and a peer's when there is one), a median timer, the table.

A figure with a peer carries the peer's value in the same unit, measured in the same run on the
same data, and a ``ratio`` that reads the same way for every figure: above 1 means Benny is
ahead. For times (lower is better) it is peer ÷ ours, "Benny is this many times faster"; for
rates (higher is better) it is ours ÷ peer.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata


@dataclass(frozen=True)
class Figure:
    """One measured figure; ``target`` is the issue's goal in the same unit, when it names one.

    ``peer_name`` and ``peer_value`` are the same figure measured on a peer (another library, a
    database, a plain loop); ``ratio_target`` is the issue's goal for ``ratio``.
    """

    name: str
    value: float
    unit: str
    target: float | None = None
    lower_is_better: bool = True
    note: str = ""
    peer_name: str | None = None
    peer_value: float | None = None
    ratio_target: float | None = None

    def __post_init__(self) -> None:
        if (self.peer_name is None) != (self.peer_value is None):
            raise ValueError(f"{self.name}: a peer needs both a name and a value")
        if self.ratio_target is not None and self.peer_value is None:
            raise ValueError(f"{self.name}: a ratio target needs a peer")

    @property
    def ratio(self) -> float | None:
        """How far Benny is ahead of the peer: above 1 is better, whichever way the unit runs."""
        if self.peer_value is None:
            return None
        ours, peer = (self.value, self.peer_value) if self.lower_is_better else (self.peer_value, self.value)
        if ours <= 0.0:
            return None if peer <= 0.0 else float("inf")
        return peer / ours

    @property
    def meets_target(self) -> bool | None:
        """Whether every target the figure has is met; None when it has none."""
        checks = []
        if self.target is not None:
            checks.append(self.value <= self.target if self.lower_is_better else self.value >= self.target)
        if self.ratio_target is not None:
            ratio = self.ratio
            checks.append(ratio is not None and ratio >= self.ratio_target)
        return all(checks) if checks else None

    def line(self) -> str:
        """The figure in one line, as a benchmark prints it when it is measured."""
        text = f"{self.name}: ours {_number(self.value)} {self.unit}"
        if self.peer_name is not None and self.peer_value is not None:
            text += f"; {self.peer_name} {_number(self.peer_value)} {self.unit}; ratio {_ratio(self.ratio)}"
        target = _target(self)
        if target:
            text += f"; target {target}: {'met' if self.meets_target else 'NOT met'}"
        return text + (f" ({self.note})" if self.note else "")


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


def peer_version(distribution: str) -> str:
    """A peer's name with its installed version, or a clear error when the peers are not installed."""
    try:
        return f"{distribution} {metadata.version(distribution)}"
    except metadata.PackageNotFoundError:
        raise RuntimeError(
            f"{distribution} is not installed: the benchmarks' peers come with `make install-bench` "
            "(pip install -e '.[bench]')"
        ) from None


def _number(value: float) -> str:
    return f"{value:,.3f}"


def _ratio(ratio: float | None) -> str:
    if ratio is None:
        return ""
    return f"{ratio:,.0f}x" if ratio >= 10 else f"{ratio:,.2f}x"


def _target(f: Figure) -> str:
    parts = []
    if f.target is not None:
        parts.append(f"{'<=' if f.lower_is_better else '>='} {f.target:g}")
    if f.ratio_target is not None:
        parts.append(f"ratio >= {f.ratio_target:g}x")
    return ", ".join(parts)


def table(figures: list[Figure]) -> str:
    rows = [("benchmark", "ours", "unit", "peer", "ratio", "target", "met")]
    for f in figures:
        met = {None: "", True: "yes", False: "NO"}[f.meets_target]
        peer = "" if f.peer_value is None else f"{_number(f.peer_value)} ({f.peer_name})"
        rows.append((f.name, _number(f.value), f.unit, peer, _ratio(f.ratio), _target(f), met))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
