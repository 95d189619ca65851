"""The staking engine's controls, one test each: every refusal names its reason (core.staking_engine)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.staking import Decision, remaining_budget_usd
from core.staking_engine import (
    CONTROLS,
    already_taken,
    budget_exhausted,
    daily_limit_reached,
    decide,
    edge_too_small,
    game_started,
    odds_stale,
    probability_too_low,
    too_few_books,
)
from tests.core.test_staking import NOW, RULES, candidate, state

# --- one test per control ---------------------------------------------------------------------


def test_every_control_lets_the_good_candidate_through() -> None:
    for control in CONTROLS:
        assert control(candidate(), state(), RULES, now=NOW) is None
    assert edge_too_small(0.30, RULES) is None


def _refused(decision: Decision) -> str:
    assert not decision.bet
    assert decision.stake_usd == 0.0
    assert decision.reason is not None
    return decision.reason


def test_refuses_a_game_that_has_started() -> None:
    started = candidate(commence_time=NOW)  # now >= commence_time: the very start counts
    assert game_started(started, state(), RULES, now=NOW) == "the game started at 2025-09-17 18:00 UTC"
    decision = decide(started, state(), RULES, now=NOW)
    assert _refused(decision) == "the game started at 2025-09-17 18:00 UTC"
    assert decision.blended_probability is None  # refused before it was priced
    assert decide(candidate(commence_time=NOW + timedelta(seconds=1)), state(), RULES, now=NOW).bet


def test_refuses_stale_odds() -> None:
    old = candidate(odds_seen_at=NOW - timedelta(hours=6, seconds=1))
    reason = "the odds are 6h01m old (the limit is 6h00m)"
    assert odds_stale(old, state(), RULES, now=NOW) == reason
    assert _refused(decide(old, state(), RULES, now=NOW)) == reason
    # Exactly the limit is still fresh enough.
    assert decide(candidate(odds_seen_at=NOW - timedelta(hours=6)), state(), RULES, now=NOW).bet


def test_refuses_too_few_books() -> None:
    thin = candidate(books=1)
    reason = "only 1 book prices this market (at least 2 needed)"
    assert too_few_books(thin, state(), RULES, now=NOW) == reason
    assert _refused(decide(thin, state(), RULES, now=NOW)) == reason
    assert too_few_books(candidate(books=0), state(), RULES, now=NOW) == (
        "only 0 books price this market (at least 2 needed)"
    )
    assert decide(candidate(books=2), state(), RULES, now=NOW).bet


def test_refuses_a_probability_below_the_threshold() -> None:
    # The blend (0.5·0.95 + 0.5·0.64 = 0.795) would bet, but Benny's own 64% is below 65%.
    unsure = candidate(probability=0.64, market_probability=0.95)
    reason = "Benny's probability 64.0% is below the 65.0% threshold"
    assert probability_too_low(unsure, state(), RULES, now=NOW) == reason
    assert _refused(decide(unsure, state(), RULES, now=NOW)) == reason
    # At least the threshold: exactly 0.65 passes.
    assert decide(candidate(probability=0.65, market_probability=0.65), state(), RULES, now=NOW).bet


def test_refuses_a_second_bet_on_the_same_game_and_market() -> None:
    taken = state(taken=frozenset({("g1", "h2h")}))
    reason = "already bet h2h on game g1"
    assert already_taken(candidate(), taken, RULES, now=NOW) == reason
    assert _refused(decide(candidate(side="away"), taken, RULES, now=NOW)) == reason
    # Another market of the same game, or the same market of another game, is fine.
    assert decide(candidate(market="totals", side="over", point=221.5), taken, RULES, now=NOW).bet
    assert decide(candidate(game_id="g2"), taken, RULES, now=NOW).bet


def test_refuses_past_the_daily_limit() -> None:
    busy = state(bets_today=8)
    reason = "already 8 bets today (the daily limit is 8)"
    assert daily_limit_reached(candidate(), busy, RULES, now=NOW) == reason
    assert _refused(decide(candidate(), busy, RULES, now=NOW)) == reason
    assert decide(candidate(), state(bets_today=7), RULES, now=NOW).bet


def test_refuses_when_the_weekly_budget_is_spent() -> None:
    spent = state(staked_this_week_usd=99.50)
    reason = "only $0.50 of this week's $100.00 budget is left (the minimum stake is $1.00)"
    assert budget_exhausted(candidate(), spent, RULES, now=NOW) == reason
    decision = decide(candidate(), spent, RULES, now=NOW)
    assert _refused(decision) == reason
    assert decision.remaining_budget_usd == 0.50
    # Overspent by hand: the remaining budget is zero, never negative.
    assert remaining_budget_usd(state(staked_this_week_usd=130.0), RULES) == 0.0


def test_refuses_no_edge_after_blending() -> None:
    # p = 0.5·0.70 + 0.5·0.40 = 0.55 at −150 (decimal 5/3): EV 0.55·5/3 − 1 = −8.3%.
    decision = decide(candidate(market_probability=0.40, odds_american=-150), state(), RULES, now=NOW)
    assert _refused(decision) == "no edge after blending with the market (EV -8.3% per dollar)"
    assert decision.edge == pytest.approx(0.55 * 5 / 3 - 1)
    assert decision.full_kelly == 0.0
    assert edge_too_small(0.0, RULES) == "no edge after blending with the market (EV 0.0% per dollar)"


def test_refuses_an_edge_below_the_minimum() -> None:
    # p = 0.5·0.66 + 0.5·0.46 = 0.56 at −125 (decimal 1.8): EV 0.56·1.8 − 1 = 0.8% < 2%.
    decision = decide(
        candidate(probability=0.66, market_probability=0.46, odds_american=-125), state(), RULES, now=NOW
    )
    assert decision.edge == pytest.approx(0.008)
    assert _refused(decision) == "edge 0.8% after blending is below the 2.0% minimum"
    assert edge_too_small(0.02, RULES) is None  # at least the minimum passes


def test_refuses_a_stake_below_the_minimum() -> None:
    # $95 staked leaves $5: 0.15 × $5 = $0.75 < $1.00.
    decision = decide(candidate(), state(staked_this_week_usd=95.0), RULES, now=NOW)
    assert _refused(decision) == "stake $0.75 is below the $1.00 minimum"
    assert decision.remaining_budget_usd == 5.00
    assert decision.edge == pytest.approx(0.30)


def test_controls_are_checked_in_order() -> None:
    # Started, stale, thin and unsure at once: the game having started is the reason given.
    hopeless = candidate(
        commence_time=NOW - timedelta(hours=1), odds_seen_at=NOW - timedelta(days=1), books=0, probability=0.5
    )
    assert _refused(decide(hopeless, state(), RULES, now=NOW)).startswith("the game started")
