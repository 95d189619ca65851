"""What `benny replay` needs below the agent: its scratch context, the warm-up, and the report.

``live/replay.py`` drives the live loop's jobs over the days. The warm-up stores a year
(``warmup_days``) of simulated history in bulk — games, every book's opening and closing
prices, results: the rows the collectors would have stored (``core.sim.history``) — for the
models to learn from. The report checks the invariants the trading rules promise, beside the
dashboard: no week staked more than its budget, the settled profit and loss equals the
bankroll ledger, every bet was settled at most once, and no bet is left pending whose result
is known.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from core.clock import FixedClock
from core.settings import load_settings
from core.sim.history import sim_history
from core.sports import Sport
from core.staking import StakingRules
from services.feeds import sim_world
from services.setup import prepare_database
from store.bets import ledger_entries, list_bets, pending_with_results
from store.history import save_history
from tools.context import ToolContext, open_context
from tools.dashboard import Dashboard, build_dashboard

DEFAULT_START = date(2025, 9, 15)
ProgressFn = Callable[[int, int], None]  # (days done, days in all)


class ReplayWeek(BaseModel):
    week: str
    staked_usd: float
    pnl_usd: float
    min_balance_usd: float = Field(description="the lowest the week's remaining budget went")


class Baseline(BaseModel):
    roi: float | None
    bets: int
    pnl_usd: float


class ReplayReport(BaseModel):
    start: date
    days: int
    warmup_days: int
    seed: int
    warmup_games: int
    bets: int
    settled: int
    pending: int
    by_sport: dict[str, int] = Field(description="bets per sport")
    settled_by_sport: dict[str, int]
    weeks: list[ReplayWeek]
    roi: float | None
    clv: float | None
    pnl_usd: float
    baselines: dict[str, Baseline]
    invariants: dict[str, bool]
    seconds: dict[str, float] = Field(description="wall time of the warmup, the days, and in all")
    dashboard: Dashboard


@contextmanager
def replay_context(
    *, seed: int, start: datetime, database_url: str | None
) -> Iterator[tuple[ToolContext, FixedClock]]:
    """A context on a scratch database (or ``database_url``) with a clock at ``start``; offline, always."""
    with tempfile.TemporaryDirectory(prefix="benny-replay-") as home:
        overrides: dict[str, object] = {
            "BENNY_HOME": home,
            "BENNY_SIM_SEED": seed,
            "BENNY_FEED": "sim",
            # A replay is the offline product: no paid API is called, whatever the environment holds.
            "ODDS_API_KEY": "",
            "ANTHROPIC_API_KEY": "",
            "BENNY_NOW": "",
            "BENNY_FAULT": "",
        }
        # Always named: a DATABASE_URL in the environment (production's) must never receive a replay.
        overrides["DATABASE_URL"] = database_url or f"sqlite:///{Path(home) / 'replay.db'}"
        settings = load_settings(_env_file=None, **overrides)
        engine = prepare_database(settings)
        try:
            clock = FixedClock(start)
            yield replace(open_context(settings=settings, engine=engine), clock=clock), clock
        finally:
            engine.dispose()


def warm_up(ctx: ToolContext, *, seed: int, before: datetime, days: int) -> int:
    """Store ``days`` of simulated history ending at ``before`` in bulk; returns the games stored."""
    stored = 0
    world = sim_world(seed)
    for sport in Sport:
        history = sim_history(world, sport, before - timedelta(days=days), before)
        with ctx.unit_of_work() as session:
            stored += save_history(session=session, games=history).games
    return stored


def replay_report(ctx: ToolContext) -> ReplayReport:
    """The dashboard and the invariants, as of the context's clock."""
    return _report(ctx)


def _report(ctx: ToolContext) -> ReplayReport:
    budget = StakingRules().weekly_budget_usd
    with ctx.unit_of_work() as session:
        rows = list_bets(session=session)
        entries = ledger_entries(session=session)
        due = pending_with_results(session=session, as_of=ctx.now())
    board = build_dashboard(rows, weekly_budget_usd=budget)
    settle_entries = Counter(bet_id for bet_id, kind, _ in entries if kind == "settle")
    ledger_pnl = sum(amount for _, kind, amount in entries if kind == "settle")
    invariants = {
        "weekly_stakes_within_budget": all(w.staked_usd <= budget + 1e-9 for w in board.by_week),
        "remaining_budget_never_negative": all(w.min_balance_usd >= -1e-9 for w in board.by_week),
        "pnl_equals_ledger": abs(ledger_pnl - board.overall.pnl_usd) < 0.01,
        "each_bet_settled_at_most_once": all(n == 1 for n in settle_entries.values())
        and len(settle_entries) == board.settled,
        "nothing_due_left_pending": due == 0,
    }
    return ReplayReport(
        start=DEFAULT_START,
        days=0,
        warmup_days=0,
        seed=0,
        warmup_games=0,
        bets=board.bets,
        settled=board.settled,
        pending=board.pending,
        by_sport=dict(sorted(Counter(_short(r.sport_key) for r in rows).items())),
        settled_by_sport=dict(
            sorted(Counter(_short(r.sport_key) for r in rows if r.status != "pending").items())
        ),
        weeks=[
            ReplayWeek(
                week=w.week, staked_usd=w.staked_usd, pnl_usd=w.pnl_usd, min_balance_usd=w.min_balance_usd
            )
            for w in board.by_week
        ],
        roi=board.overall.roi,
        clv=board.overall.clv,
        pnl_usd=board.overall.pnl_usd,
        baselines={
            name: Baseline(roi=b.roi, bets=b.bets, pnl_usd=b.pnl_usd) for name, b in board.baselines.items()
        },
        invariants=invariants,
        seconds={},
        dashboard=board,
    )


def _short(sport_key: str) -> str:
    return Sport(sport_key).short


def summary_json(report: ReplayReport) -> dict[str, Any]:
    """The report as ``--json`` prints it (the dashboard's series left out)."""
    return report.model_dump(mode="json", exclude={"dashboard"})
