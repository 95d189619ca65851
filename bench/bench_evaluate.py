"""benny evaluate throughput: games replayed per second through import, analysis, fitting and grading.

Two EPL seasons (760 games), the second scored; quick mode replays one season's first month.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from bench.harness import Figure
from services.evaluate import evaluate

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def run(quick: bool = False) -> list[Figure]:
    if not SHARED.is_dir():
        return [Figure("evaluate: ../shared/data is absent, nothing measured", 0.0, "")]
    seasons = ["E0_2324.csv"] if quick else ["E0_2324.csv", "E0_2425.csv"]
    started = time.perf_counter()
    report = evaluate(
        [SHARED / "epl" / name for name in seasons], score_from=datetime(2024, 8, 1, tzinfo=UTC)
    )
    elapsed = time.perf_counter() - started
    games = 380 * len(seasons)
    return [
        Figure(f"evaluate {games} EPL games: games per second", games / elapsed, "games/s", 200, False),
        Figure("evaluate: wall time", elapsed, "s", note=f"{report.moments} moments, {report.refits} refits"),
    ]
