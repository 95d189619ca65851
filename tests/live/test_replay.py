"""`benny replay`: the live loop's jobs on the simulated book, day by day, deterministic, invariants kept."""

from __future__ import annotations

from datetime import date

import pytest

from live.replay import replay
from live.replay_setup import summary_json

REQUIRED = {"days", "bets", "settled", "pending", "by_sport", "weeks", "roi", "clv", "baselines"}


def test_a_short_replay_bets_settles_and_keeps_every_invariant(monkeypatch: pytest.MonkeyPatch) -> None:
    # The simulated market prices favourites efficiently, so at the seed's 65% threshold Benny
    # rarely finds a bet; a lower threshold (a setting) lets a short replay exercise every path.
    monkeypatch.setenv("BENNY_MIN_PROBABILITY", "0.51")
    first = replay(start=date(2025, 11, 3), days=3, warmup_days=30, seed=1)
    assert first.bets > 0 and first.settled > 0
    assert all(first.invariants.values()), first.invariants
    assert all(w.staked_usd <= 100.0 and w.min_balance_usd >= 0.0 for w in first.weeks)
    assert sum(first.by_sport.values()) == first.bets
    assert set(first.baselines) == {"consensus_favourite", "fade_benny", "random"}
    payload = summary_json(first)
    assert set(payload) >= REQUIRED
    assert {"week", "staked_usd", "pnl_usd", "min_balance_usd"} <= set(payload["weeks"][0])
    # The same arguments give the same bets: the replay never reads the wall clock.
    again = replay(start=date(2025, 11, 3), days=3, warmup_days=30, seed=1)
    assert again.dashboard.model_dump(exclude={"bankroll"}) == first.dashboard.model_dump(
        exclude={"bankroll"}
    )
    assert [p.bankroll_usd for p in again.dashboard.bankroll] == [
        p.bankroll_usd for p in first.dashboard.bankroll
    ]


def test_bad_arguments_are_refused() -> None:
    from core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        replay(days=0)
    with pytest.raises(InvalidInput):
        replay(days=3, warmup_days=-1)
    # The simulated world has seasons from 1990 to 2100; the replay and its warm-up stay inside.
    with pytest.raises(InvalidInput, match="start must be between 1991-01-01 and 2100-11-01"):
        replay(start=date(9999, 12, 31), days=60, warmup_days=365)
    with pytest.raises(InvalidInput, match="start must be between"):
        replay(start=date(1990, 6, 1), days=1, warmup_days=365)
