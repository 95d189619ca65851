"""Five `benny analyze` processes at once leave what one leaves: one latest row per pick, each graded once.

The processes are the CLI itself, started together against one seeded database (SQLite and
PostgreSQL) at the same clock, so they race on the same games, models and markets. A pick is a
game, model (or user model), market and side; a three-way market's inverse ("not home") shares
the original's side and is told apart by ``is_inverse``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from core.clock import FixedClock
from services.collect import collect_odds, collect_scores
from services.demo import seed_demo
from store.db import unit_of_work
from store.tables import Prediction, Verification, table_of
from tests.conftest import NOW, make_settings
from tools.context import open_context

ROOT = Path(__file__).resolve().parents[2]
BENNY = [sys.executable, "-c", "import cli; cli.main()"]
PICK = ("game_id", "model", "user_model_id", "market", "side", "is_inverse")
CONTENT = (*PICK, "point", "price_decimal", "probability", "confidence")


def _analyze_at_once(db_url: str, home: Path, runs: int) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BENNY_", "DATABASE_URL", "ODDS_API"))}
    env.pop("ANTHROPIC_API_KEY", None)
    env |= {"DATABASE_URL": db_url, "BENNY_HOME": str(home), "BENNY_NOW": NOW.isoformat()}
    processes = [
        subprocess.Popen(
            [*BENNY, "analyze", "--hours", "12", "--json"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(runs)
    ]
    for process in processes:
        output, _ = process.communicate(timeout=300)
        assert process.returncode == 0, output


def _latest(engine: Engine) -> list[tuple[object, ...]]:
    pred = table_of(Prediction)
    with unit_of_work(engine) as session:
        rows = session.execute(sa.select(*(pred.c[c] for c in CONTENT)).where(pred.c.latest.is_(True)))
        return sorted((tuple(r) for r in rows), key=repr)


def test_five_analyses_at_once_leave_the_rows_of_one(any_engine: Engine, db_url: str, tmp_path: Path) -> None:
    clock = FixedClock(NOW)
    ctx = replace(open_context(settings=make_settings(db_url), engine=any_engine), clock=clock)
    seed_demo(ctx)

    _analyze_at_once(db_url, tmp_path / "home", runs=1)
    after_one = _latest(any_engine)
    _analyze_at_once(db_url, tmp_path / "home", runs=5)
    after_five = _latest(any_engine)
    picks = Counter(row[: len(PICK)] for row in after_five)
    assert max(picks.values()) == 1, [pick for pick, n in picks.items() if n > 1][:5]
    assert after_five == after_one

    # The results a day later grade each pick once: a game counts once per model and market.
    clock.advance(timedelta(days=1))
    collect_odds(ctx, source="sim")
    collect_scores(ctx, source="sim")
    pred, verification = table_of(Prediction), table_of(Verification)
    with unit_of_work(any_engine) as session:
        graded = session.execute(
            sa.select(*(pred.c[c] for c in PICK)).join(
                verification, verification.c.prediction_id == pred.c.id
            )
        ).all()
    assert graded
    assert max(Counter(tuple(g) for g in graded).values()) == 1
