"""A simulated month of collection: odds and scores of all five leagues every 4 hours for 30 days.

The live collectors run unchanged against the simulated book on a fast clock, storing into a
scratch SQLite database, so this measures the whole path: the simulation, the Odds API JSON,
parsing, and the store. Quick mode covers two days.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime, timedelta

from bench.harness import Figure
from core.clock import FixedClock
from core.settings import load_settings
from services.collect import collect_odds, collect_scores
from services.setup import prepare_database
from tools.context import bind, open_context

START = datetime(2025, 3, 20, tzinfo=UTC)  # every league in season: MLB opening week, NBA/NHL/EPL run-in


def run(quick: bool = False) -> list[Figure]:
    days = 2 if quick else 30
    sweeps = days * 6
    with tempfile.TemporaryDirectory() as home:
        settings = load_settings(_env_file=None, BENNY_HOME=home)
        engine = prepare_database(settings)
        clock = FixedClock(START)
        snapshots = results = 0
        try:
            with bind(open_context(settings=settings, engine=engine, clock=clock)) as ctx:
                started = time.perf_counter()
                for sweep in range(sweeps):
                    clock.set(START + timedelta(hours=4 * sweep))
                    snapshots += sum(r.snapshots for r in collect_odds(ctx, source="sim").runs)
                    results += sum(r.results for r in collect_scores(ctx, source="sim").runs)
                elapsed = time.perf_counter() - started
        finally:
            engine.dispose()
    return [
        Figure(f"simulated {days}-day collection, 5 leagues every 4 h: wall time", elapsed, "s"),
        Figure(
            "simulated collection: sweeps per second", sweeps / elapsed, "sweeps/s", lower_is_better=False
        ),
        Figure("simulated collection: snapshots stored", float(snapshots), "rows"),
        Figure("simulated collection: results stored", float(results), "rows"),
    ]
