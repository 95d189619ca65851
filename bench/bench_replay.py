"""`benny replay --days 60 --seed 1`: the live loop's wall time, and Benny's and the baselines' returns.

Quick mode replays three days after a 30-day warm-up.
"""

from __future__ import annotations

import time

from bench.harness import Figure
from live.replay import replay


def run(quick: bool = False) -> list[Figure]:
    days, warmup = (3, 30) if quick else (60, 365)
    started = time.perf_counter()
    report = replay(days=days, warmup_days=warmup, seed=1)
    elapsed = time.perf_counter() - started
    baselines = ", ".join(
        f"{name} {b.bets} bets ROI {'-' if b.roi is None else f'{b.roi:+.3f}'}"
        for name, b in report.baselines.items()
    )
    broken = [name for name, ok in report.invariants.items() if not ok]
    split = f"warm-up {report.seconds.get('warmup', 0):.1f} s, days {report.seconds.get('days', 0):.1f} s"
    return [
        Figure(
            f"replay {days} days (seed 1): wall time",
            elapsed,
            "s",
            90.0 if not quick else None,
            note=split,
        ),
        Figure(
            "replay: Benny's bets",
            float(report.bets),
            "bets",
            note=f"settled {report.settled} by sport {report.settled_by_sport}; invariants "
            + ("hold" if not broken else f"BROKEN: {broken}"),
        ),
        Figure(
            "replay: Benny's settled bets' staked dollars",
            report.dashboard.overall.staked_usd,
            "USD",
            note=f"ROI {report.roi}, CLV {report.clv}; {baselines}",
        ),
    ]
