"""The model comparison over a large ledger: rollups against a plain SQL GROUP BY and DuckDB.

Builds a scratch SQLite ledger of graded predictions (10 models x 5 sports x 3 markets over a
year, originals and inverses), folds them into the rollups through the live path, then times
``compare_models`` over all days beside two peers that compute the same counts from the grades
themselves: one GROUP BY over the verifications table in the same SQLite database, and the same
GROUP BY in an in-memory DuckDB holding the same rows (loaded from the same ledger before the
clock starts: only its query is timed). The two peers' answers are checked against each other.
Quick mode uses 10,000 grades.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from bench.harness import Figure, median_seconds, peer_version
from core.scoring import brier_binary_terms, log_loss_terms
from core.settings import load_settings
from core.sports import Sport
from services.setup import prepare_database
from store.db import unit_of_work
from store.rollups import add_grades
from tools.comparison import compare_models
from tools.context import bind, open_context

MODELS = ("consensus", "value", "momentum", "contrarian", "hot_cold", "rest_schedule", "matchup",
          "injury_aware", "ensemble", "benny")  # fmt: skip
MARKETS = ("h2h", "spreads", "totals")
RESULTS = ("won", "lost", "push", "half_won", "half_lost")
NOW = datetime(2025, 6, 1, tzinfo=UTC)

GROUP_BY = """
SELECT model, sport_key, market, is_inverse, count(*),
       sum(CASE result WHEN 'won' THEN 1.0 WHEN 'half_won' THEN 0.5 ELSE 0 END),
       sum(CASE result WHEN 'lost' THEN 1.0 WHEN 'half_lost' THEN 0.5 ELSE 0 END),
       avg(brier), avg(log_loss), sum(profit_units), count(profit_units), avg(clv)
FROM verifications GROUP BY model, sport_key, market, is_inverse
"""
GRADE_COLUMNS = ("model", "sport_key", "market", "is_inverse", "result", "profit_units", "brier", "log_loss",
                 "clv")  # fmt: skip


def ledger(n: int, seed: int = 0) -> list[dict[str, object]]:
    rng = np.random.default_rng(seed)
    models = rng.integers(0, len(MODELS), n)
    sports = rng.integers(0, len(Sport), n)
    markets = rng.integers(0, len(MARKETS), n)
    results = rng.choice(len(RESULTS), n, p=[0.47, 0.45, 0.04, 0.02, 0.02])
    days = rng.integers(0, 365, n)
    p = rng.uniform(0.5, 0.8, n)
    sport_keys = [s.value for s in Sport]
    start = date(2024, 6, 1)
    rows = []
    for i in range(n):
        result = RESULTS[results[i]]
        won = result in ("won", "half_won")
        rows.append(
            {
                "prediction_id": i + 1,
                "model": MODELS[models[i]],
                "sport_key": sport_keys[sports[i]],
                "market": MARKETS[markets[i]],
                "is_inverse": bool(i % 2),
                "result": result,
                "profit_units": 0.91 if won else (0.0 if result == "push" else -1.0),
                "brier": None if result == "push" else brier_binary_terms(float(p[i]), float(won)),
                "log_loss": None if result == "push" else log_loss_terms(float(p[i] if won else 1 - p[i])),
                "clv": float(rng.normal(0, 0.03)),
                "verified_at": NOW,
                "day": start + timedelta(days=int(days[i])),
            }
        )
    return rows


def _same_answers(sqlite_rows: list[tuple[Any, ...]], duck_rows: list[tuple[Any, ...]]) -> bool:
    """Whether the two GROUP BYs found the same groups with the same numbers (to 1e-9 relative)."""

    def keyed(rows: list[tuple[Any, ...]]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
        return {(r[0], r[1], r[2], bool(r[3])): tuple(r[4:]) for r in rows}

    ours, theirs = keyed(sqlite_rows), keyed(duck_rows)
    if ours.keys() != theirs.keys():
        return False
    for key, values in ours.items():
        for a, b in zip(values, theirs[key], strict=True):
            if (a is None) != (b is None):
                return False
            if a is not None and not np.isclose(float(a), float(b), rtol=1e-9, atol=1e-9):
                return False
    return True


def _duckdb(rows: list[dict[str, object]]) -> tuple[str, float, list[tuple[Any, ...]]]:
    """DuckDB's median query time over the same grades, in memory, and its answer."""
    name = peer_version("duckdb")
    import duckdb

    grades = pd.DataFrame({c: [r[c] for r in rows] for c in GRADE_COLUMNS})
    with duckdb.connect(":memory:") as con:
        con.register("grades", grades)
        con.execute("CREATE TABLE verifications AS SELECT * FROM grades")
        con.unregister("grades")
        seconds = median_seconds(lambda: con.execute(GROUP_BY).fetchall(), repeat=7)
        answer = con.execute(GROUP_BY).fetchall()
    return name, seconds, answer


def run(quick: bool = False) -> list[Figure]:
    n = 10_000 if quick else 1_000_000
    rows = ledger(n)
    with tempfile.TemporaryDirectory() as home:
        settings = load_settings(_env_file=None, BENNY_HOME=home, BENNY_NOW=NOW.isoformat())
        engine = prepare_database(settings)
        try:
            with engine.begin() as conn:
                # The ledger's predictions are not what is measured: skip them and their foreign key.
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                columns = [c for c in rows[0] if c != "day"]
                marks = ", ".join("?" for _ in columns)
                conn.exec_driver_sql(
                    f"INSERT INTO verifications ({', '.join(columns)}) VALUES ({marks})",
                    [
                        tuple(NOW.isoformat(" ") if c == "verified_at" else r[c] for c in columns)
                        for r in rows
                    ],
                )
            started = time.perf_counter()
            with unit_of_work(engine) as session:
                for i in range(0, n, 100_000):
                    add_grades(session=session, grades=rows[i : i + 100_000])
            rollup_s = time.perf_counter() - started
            with bind(open_context(settings=settings, engine=engine)):
                ours = median_seconds(lambda: compare_models(days="all"), repeat=7)
                ours_30 = median_seconds(lambda: compare_models(days="30"), repeat=7)
            with engine.connect() as conn:
                peer = median_seconds(lambda: conn.execute(sa.text(GROUP_BY)).all(), repeat=3)
                grouped = [tuple(r) for r in conn.execute(sa.text(GROUP_BY)).all()]
        finally:
            engine.dispose()
    duck_name, duck, duck_answer = _duckdb(rows)
    agreement = "same groups and numbers" if _same_answers(grouped, duck_answer) else "DIFFERENT answers"
    return [
        Figure(
            f"compare models over {n:,} grades (rollups) vs a GROUP BY",
            ours * 1e3,
            "ms",
            target=20,
            note="the GROUP BY runs on the verifications table in the same SQLite database; "
            f"SQLite and DuckDB give the {agreement}",
            peer_name="SQLite GROUP BY",
            peer_value=peer * 1e3,
            ratio_target=25.0,
        ),
        Figure(
            f"compare models over {n:,} grades (rollups) vs DuckDB",
            ours * 1e3,
            "ms",
            note=f"in-memory DuckDB, the same GROUP BY over the same rows, only the query timed; "
            f"DuckDB and SQLite give the {agreement}",
            peer_name=duck_name,
            peer_value=duck * 1e3,
        ),
        Figure("compare models, last 30 days (daily rollups)", ours_30 * 1e3, "ms"),
        Figure("folding the grades into rollups (live path)", rollup_s, "s"),
    ]
