"""Benny's trading run and settlement on both databases: stakes from the engine, bets once, settled once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from core.clock import FixedClock
from core.staking import BookState, iso_week
from core.staking_engine import decide
from live.jobs import job_settle, job_trade
from services.collect import collect_scores
from services.demo import seed_demo
from services.dossier import Dossier
from services.trading import TradeSummary, _candidate, staking_rules, trade
from store.db import unit_of_work
from store.tables import BankrollEntry, Bet, Prediction, table_of
from tests.conftest import NOW, make_settings
from tools.context import ToolContext, bind, open_context
from tools.dashboard import benny_bets, benny_dashboard, explain_bet


@pytest.fixture
def market(any_engine: Engine, db_url: str) -> ToolContext:
    ctx = replace(open_context(settings=make_settings(db_url), engine=any_engine), clock=FixedClock(NOW))
    seed_demo(ctx)
    return ctx


def favourites(dossiers: Sequence[Dossier], *, count: int = 4, probability: float = 0.9) -> dict[str, Any]:
    """A scripted analyst: the consensus favourite of each moneyline, at a confident probability."""
    picks = []
    for d in dossiers:
        for m in d.markets:
            if m.market != "h2h" or len(picks) >= count:
                continue
            side = max(m.sides, key=lambda s: s.consensus or 0.0)
            picks.append(
                {
                    "game_id": d.game_id, "market": "h2h", "side": side.side, "probability": probability,
                    "reasoning": "a scripted pick", "key_factors": ["script"], "risks": ["none"],
                }
            )  # fmt: skip
    return {"picks": picks}


def _rows(engine: Engine, table: Any) -> list[dict[str, Any]]:
    with unit_of_work(engine) as session:
        return [dict(r._mapping) for r in session.execute(sa.select(table_of(table)))]


def test_stakes_are_the_engines_and_each_bet_is_stored_whole(market: ToolContext) -> None:
    seen: list[Sequence[Dossier]] = []

    def analyst(dossiers: Sequence[Dossier]) -> object:
        seen.append(dossiers)
        return favourites(dossiers)

    with bind(market):
        summary = trade(market, analyst=analyst, analyst_name="script")
    assert summary.games > 0 and summary.proposals == 4
    assert summary.bets, summary.refused
    # Every stake equals the engine's decision on the same candidate, in the same order.
    rules = staking_rules(market.settings)
    state = BookState(week=iso_week(NOW))
    bets = _rows(market.engine, Bet)
    for placed in summary.bets:
        assert placed.stake_usd > 0 and placed.stake_usd <= rules.max_stake_usd
    assert sum(b.stake_usd for b in summary.bets) <= rules.weekly_budget_usd
    assert summary.remaining_budget_usd == pytest.approx(100 - sum(b.stake_usd for b in summary.bets))
    first = summary.bets[0]
    with unit_of_work(market.engine) as session:
        from services.dossier import build_dossiers
        from store.odds import games_with_ids

        [(context, _)] = build_dossiers(
            session, now=NOW, rows=games_with_ids(session=session, game_ids=[first.game_id])
        )
    from core.proposals import Proposal

    candidate = _candidate(Proposal(first.game_id, "h2h", first.side, 0.9, "a scripted pick"), context)
    assert not isinstance(candidate, str)
    assert decide(candidate, state, rules, now=NOW).stake_usd == first.stake_usd
    # Stored whole: the bet with its American odds and snapshot, its stake entry, its benny prediction.
    assert len(bets) == len(summary.bets)
    ledger = _rows(market.engine, BankrollEntry)
    assert sorted(e["bet_id"] for e in ledger if e["kind"] == "stake") == sorted(b["id"] for b in bets)
    predictions = {p["id"]: p for p in _rows(market.engine, Prediction)}
    for bet in bets:
        assert isinstance(bet["odds_american"], int) and bet["snapshot_id"] is not None
        linked = predictions[bet["prediction_id"]]
        assert (linked["model"], linked["game_id"], linked["side"]) == ("benny", bet["game_id"], bet["side"])
        assert bet["reasons"]["baselines"]["consensus_favourite"]["side"] == bet["side"]


def test_the_same_day_twice_places_nothing_new(market: ToolContext) -> None:
    with bind(market):
        first = trade(market, analyst=favourites, analyst_name="script")
        again = trade(market, analyst=favourites, analyst_name="script")
    assert first.bets and not again.bets
    assert all("already" in r.reason for r in again.refused if r.market == "h2h")
    assert len(_rows(market.engine, Bet)) == len(first.bets)


def test_what_the_analyst_says_never_sets_a_stake_a_price_or_a_game(market: ToolContext) -> None:
    def greedy(dossiers: Sequence[Dossier]) -> object:
        good = favourites(dossiers, count=1)["picks"][0]
        return {
            "picks": [
                {**good, "stake_usd": 5000},
                {**good, "market": "spreads", "odds": "+900"},
                {**good, "game_id": "no-such-game"},
            ]
        }

    with bind(market):
        summary = trade(market, analyst=greedy, analyst_name="script")
    assert not summary.bets and summary.proposals == 0
    assert len(summary.refused) == 3
    assert not _rows(market.engine, Bet)


def test_a_dry_run_stores_nothing(market: ToolContext) -> None:
    with bind(market):
        summary = trade(market, analyst=favourites, analyst_name="script", dry_run=True)
    assert summary.bets and all(b.bet_id is None for b in summary.bets)
    assert not _rows(market.engine, Bet)


def _bet_then_results(market: ToolContext) -> TradeSummary:
    """Scripted bets at NOW, then the clock two days on and the results collected."""
    with bind(market):
        placed = trade(market, analyst=favourites, analyst_name="script")
    assert placed.bets
    clock = market.clock
    assert isinstance(clock, FixedClock)
    clock.set(NOW + timedelta(days=2))
    with bind(market):
        collect_scores(market, source="sim")
    return placed


def test_settlement_pays_each_bet_once_and_the_bankroll_is_its_sum(market: ToolContext) -> None:
    placed = _bet_then_results(market)
    first = job_settle(market)
    again = job_settle(market)
    assert first.settled == len(placed.bets) and again.settled == 0
    bets = _rows(market.engine, Bet)
    ledger = _rows(market.engine, BankrollEntry)
    settles = [e for e in ledger if e["kind"] == "settle"]
    assert len(settles) == len(bets) and all(b["status"] != "pending" for b in bets)
    assert sum(e["amount_usd"] for e in settles) == pytest.approx(sum(b["profit_usd"] for b in bets))
    assert all(b["clv"] is not None and b["post_mortem"] for b in bets)
    with bind(market):
        board = benny_dashboard()
        listed = benny_bets()
        why = explain_bet(bet_id=bets[0]["id"])
    assert board.bankroll_usd == pytest.approx(first.pnl_usd)
    assert board.settled == len(bets) and board.pending == 0
    assert set(board.baselines) == {"consensus_favourite", "fade_benny", "random"}
    assert board.baselines["consensus_favourite"].bets == len(bets)
    # The favourite bettor backed the same sides as the script, so it earned what Benny did.
    assert board.baselines["consensus_favourite"].pnl_usd == pytest.approx(board.overall.pnl_usd)
    assert [b.bet_id for b in listed] == sorted((b["id"] for b in bets), reverse=True)
    assert why.reasoning == "a scripted pick" and why.post_mortem and "half-Kelly" in why.stake_rule


def test_the_trade_job_uses_the_offline_analyst_without_a_key(market: ToolContext) -> None:
    summary = job_trade(market, dry_run=True)
    assert summary.analyst == "offline"
    assert all(b.probability >= market.settings.min_probability for b in summary.bets)


def test_two_overlapping_settlement_runs_settle_each_bet_once(market: ToolContext) -> None:
    import threading

    placed = _bet_then_results(market)
    barrier = threading.Barrier(2)
    settled: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            settled.append(job_settle(market).settled)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(settled) == len(placed.bets)
    ledger = [e for e in _rows(market.engine, BankrollEntry) if e["kind"] == "settle"]
    assert len(ledger) == len(placed.bets) == len({e["bet_id"] for e in ledger})


def test_a_run_that_decided_on_an_older_book_decides_again_before_each_bet(
    market: ToolContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another run bets between this run's look at the book and its bets (the CLI beside the scheduler)."""
    from services import trading

    def first_eight(dossiers: Sequence[Dossier]) -> object:
        return {"picks": favourites(dossiers, count=16)["picks"][:8]}

    def next_eight(dossiers: Sequence[Dossier]) -> object:
        return {"picks": favourites(dossiers, count=16)["picks"][8:]}

    read_book = trading.placed_so_far
    other: list[TradeSummary] = []
    looks = iter(range(1_000))

    def book_then_another_run(**query: Any) -> Any:
        seen = read_book(**query)
        if next(looks) == 0:  # after the first look only, and before this run's bets
            other.append(trade(market, analyst=first_eight, analyst_name="other"))
        return seen

    monkeypatch.setattr(trading, "placed_so_far", book_then_another_run)
    late = trade(market, analyst=next_eight, analyst_name="script")
    rules = staking_rules(market.settings)
    bets = _rows(market.engine, Bet)
    staked = sum(b["stake_usd"] for b in bets)
    assert other[0].bets, "the other run bets first"
    # Both runs together keep the week's budget and the day's limit, as one run would.
    assert staked <= rules.weekly_budget_usd and len(bets) <= rules.max_bets_per_day
    assert late.remaining_budget_usd == pytest.approx(rules.weekly_budget_usd - staked)
