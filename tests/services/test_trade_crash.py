"""A crash between two bets loses nothing and doubles nothing: `benny trade` killed, then run again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from core.clock import FixedClock
from services.demo import seed_demo
from services.dossier import Dossier
from services.faults import FAULT_EXIT_CODE
from services.trading import trade
from store.db import unit_of_work
from store.tables import BankrollEntry, Bet, Prediction, table_of
from tests.conftest import NOW, make_settings
from tools.context import bind, open_context

from .test_trading import favourites


def _benny(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "import sys; from cli import main; sys.argv = ['benny', *sys.argv[1:]]; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _state(engine: Engine) -> dict[str, Any]:
    with unit_of_work(engine) as session:
        bets = [dict(r._mapping) for r in session.execute(sa.select(table_of(Bet)))]
        ledger = [dict(r._mapping) for r in session.execute(sa.select(table_of(BankrollEntry)))]
        linked = session.execute(
            sa.select(sa.func.count())
            .select_from(table_of(Prediction))
            .where(table_of(Prediction).c.id.in_([b["prediction_id"] for b in bets]))
        ).scalar_one()
    return {"bets": bets, "ledger": ledger, "linked": linked}


def _planned(engine: Engine, db_url: str, tmp_path: Path) -> tuple[Any, Path, dict[str, str]]:
    """The demo's day, the trade a dry run plans on it, its picks in a file and the CLI's environment."""
    ctx = replace(open_context(settings=make_settings(db_url), engine=engine), clock=FixedClock(NOW))
    seed_demo(ctx)
    picks: dict[str, Any] = {}

    def capture(dossiers: Sequence[Dossier]) -> object:
        picks.update(favourites(dossiers, count=5))
        return picks

    with bind(ctx):
        planned = trade(ctx, analyst=capture, analyst_name="script", dry_run=True)
    assert len(planned.bets) >= 3, planned.refused
    path = tmp_path / "picks.json"
    path.write_text(json.dumps(picks), encoding="utf-8")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BENNY_", "DATABASE_URL"))},
        "DATABASE_URL": db_url,
        "BENNY_NOW": NOW.isoformat(),
        "BENNY_HOME": str(tmp_path / "home"),
    }
    return planned, path, env


def test_a_crash_after_the_second_bet_then_a_rerun(any_engine: Engine, db_url: str, tmp_path: Path) -> None:
    planned, path, env = _planned(any_engine, db_url, tmp_path)
    crashed = _benny(["trade", "--picks", str(path)], {**env, "BENNY_FAULT": "after_bet:2"})
    assert crashed.returncode == FAULT_EXIT_CODE, crashed.stderr
    after_crash = _state(any_engine)
    assert len(after_crash["bets"]) == 2  # both whole: row, stake entry and prediction
    assert len([e for e in after_crash["ledger"] if e["kind"] == "stake"]) == 2
    assert after_crash["linked"] == 2
    rerun = _benny(["trade", "--picks", str(path), "--json"], env)
    assert rerun.returncode == 0, rerun.stderr
    assert len(json.loads(rerun.stdout)["bets"]) == len(planned.bets) - 2
    final = _state(any_engine)
    keys = [(b["game_id"], b["market"]) for b in final["bets"]]
    assert len(keys) == len(set(keys)) == len(planned.bets)
    assert sorted(b["stake_usd"] for b in final["bets"]) == sorted(b.stake_usd for b in planned.bets)
    assert len([e for e in final["ledger"] if e["kind"] == "stake"]) == len(planned.bets)
    assert final["linked"] == len(planned.bets)


def test_a_crash_before_the_second_bet_commits_keeps_the_first_alone(
    any_engine: Engine, db_url: str, tmp_path: Path
) -> None:
    _planned_bets, path, env = _planned(any_engine, db_url, tmp_path)
    crashed = _benny(["trade", "--picks", str(path)], {**env, "BENNY_FAULT": "before_bet_commit:2"})
    assert crashed.returncode == FAULT_EXIT_CODE, crashed.stderr
    after_crash = _state(any_engine)
    assert len(after_crash["bets"]) == 1  # the second bet's transaction never committed: nothing of it
    assert len([e for e in after_crash["ledger"] if e["kind"] == "stake"]) == 1
    assert after_crash["linked"] == 1
