"""The staking engine: hand-worked stakes, one test per control, and budget invariants as properties."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone
from decimal import ROUND_FLOOR, Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InvalidInput
from core.kelly import kelly_fraction
from core.odds import american_to_decimal
from core.staking import (
    BookState,
    Candidate,
    StakingRules,
    blended_probability,
    iso_week,
    remaining_budget_usd,
    week_start,
)
from core.staking_engine import (
    decide,
    decide_all,
)

PROPERTY = settings(deadline=None, max_examples=200)

NOW = datetime(2025, 9, 17, 18, 0, tzinfo=UTC)  # a Wednesday in ISO week 2025-W38
WEEK = "2025-W38"
RULES = StakingRules()


def candidate(**overrides: Any) -> Candidate:
    """A candidate every control lets through: p_benny 0.70, p_market 0.60, +100, fresh, 5 books."""
    fields: dict[str, Any] = {
        "game_id": "g1",
        "market": "h2h",
        "side": "home",
        "point": None,
        "probability": 0.70,
        "market_probability": 0.60,
        "odds_american": 100,
        "book": "draftkings",
        "odds_seen_at": NOW - timedelta(minutes=10),
        "books": 5,
        "commence_time": NOW + timedelta(hours=3),
    }
    fields.update(overrides)
    return Candidate(**fields)


def state(**overrides: Any) -> BookState:
    return BookState(**{"week": WEEK, **overrides})


# --- weeks ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "week", "monday"),
    [
        (datetime(2025, 9, 15, 0, 0, tzinfo=UTC), "2025-W38", datetime(2025, 9, 15, tzinfo=UTC)),
        (datetime(2025, 9, 21, 23, 59, tzinfo=UTC), "2025-W38", datetime(2025, 9, 15, tzinfo=UTC)),
        # The ISO year is not the calendar year at either end of it.
        (datetime(2024, 12, 30, 12, 0, tzinfo=UTC), "2025-W01", datetime(2024, 12, 30, tzinfo=UTC)),
        (datetime(2021, 1, 3, 12, 0, tzinfo=UTC), "2020-W53", datetime(2020, 12, 28, tzinfo=UTC)),
        (datetime(2025, 3, 5, tzinfo=UTC), "2025-W10", datetime(2025, 3, 3, tzinfo=UTC)),  # zero-padded
        # Sunday 23:30 in New York is Monday 04:30 UTC: the next week.
        (
            datetime(2025, 9, 14, 23, 30, tzinfo=timezone(timedelta(hours=-5))),
            "2025-W38",
            datetime(2025, 9, 15, tzinfo=UTC),
        ),
    ],
)
def test_iso_week_and_its_monday(moment: datetime, week: str, monday: datetime) -> None:
    assert iso_week(moment) == week
    assert week_start(moment) == monday
    assert week_start(moment).tzinfo is UTC


def test_weeks_need_an_aware_moment() -> None:
    with pytest.raises(InvalidInput, match="timezone-aware"):
        iso_week(datetime(2025, 9, 15, 12, 0))
    with pytest.raises(InvalidInput, match="timezone-aware"):
        week_start(datetime(2025, 9, 15, 12, 0))


@given(st.datetimes(timezones=st.just(UTC)))
@PROPERTY
def test_a_moment_lies_in_the_week_that_starts_on_its_monday(moment: datetime) -> None:
    start = week_start(moment)
    assert start <= moment < start + timedelta(days=7)
    assert start.weekday() == 0
    assert iso_week(start) == iso_week(moment)


# --- golden stakes ----------------------------------------------------------------------------


def test_golden_half_kelly_on_the_blended_probability() -> None:
    # p = 0.5·0.70 + 0.5·0.60 = 0.65; +100 is decimal 2.0; edge 0.65·2 − 1 = 0.30;
    # full Kelly (0.65·2 − 1)/(2 − 1) = 0.30; half Kelly 0.15 × $100 remaining = $15.00.
    decision = decide(candidate(), state(), RULES, now=NOW)
    assert decision.bet
    assert decision.stake_usd == 15.00
    assert decision.blended_probability == pytest.approx(0.65)
    assert decision.edge == pytest.approx(0.30)
    assert decision.full_kelly == pytest.approx(0.30)
    assert decision.remaining_budget_usd == 100.00
    assert decision.reason is None


def test_golden_kelly_is_on_the_remaining_budget() -> None:
    # $60 already staked this week leaves $40: 0.15 × $40 = $6.00.
    decision = decide(candidate(), state(staked_this_week_usd=60.0), RULES, now=NOW)
    assert decision.stake_usd == 6.00
    assert decision.remaining_budget_usd == 40.00


def test_golden_stake_clipped_to_the_per_bet_cap() -> None:
    # p = 0.5·0.90 + 0.5·0.80 = 0.85 at +100: full Kelly 0.70, half 0.35 × $100 = $35,
    # more than the cap 0.25 × $100 = $25, so $25.00 with a note.
    decision = decide(candidate(probability=0.90, market_probability=0.80), state(), RULES, now=NOW)
    assert decision.full_kelly == pytest.approx(0.70)
    assert decision.stake_usd == 25.00
    assert decision.reason == "clipped to the per-bet cap ($25.00)"
    assert decision.bet


def test_golden_negative_odds() -> None:
    # −110 is decimal 1 + 100/110; full Kelly = p − (1 − p)/(d − 1) = 0.65 − 0.35·1.1 = 0.265;
    # half 0.1325 × $100 = $13.25 (float noise must not turn it into $13.24).
    decision = decide(candidate(odds_american=-110), state(), RULES, now=NOW)
    assert decision.full_kelly == pytest.approx(0.265)
    assert decision.edge == pytest.approx(0.65 * (1 + 100 / 110) - 1)
    assert decision.stake_usd == 13.25


def test_golden_stakes_round_down_to_cents() -> None:
    # +120 is decimal 2.2: full Kelly = 0.65 − 0.35/1.2 = 0.358333...; half × $100 = $17.91666...
    # which rounds down to $17.91, never up to $17.92.
    decision = decide(candidate(odds_american=120), state(), RULES, now=NOW)
    assert decision.stake_usd == 17.91


def test_golden_market_weight_zero_and_one() -> None:
    # w = 0 bets on Benny alone: p 0.70, full Kelly 0.40, half × $100 = $20.00.
    only_benny = dataclasses.replace(RULES, market_weight=0.0)
    assert decide(candidate(), state(), only_benny, now=NOW).stake_usd == 20.00
    # w = 1 is the market alone: p 0.60, full Kelly 0.20, half × $100 = $10.00.
    only_market = dataclasses.replace(RULES, market_weight=1.0)
    assert decide(candidate(), state(), only_market, now=NOW).stake_usd == 10.00


def test_golden_sequence_spends_the_week_in_order() -> None:
    # Three 0.65-at-+100 bets on different games: 0.15 × $100 = $15.00, then 0.15 × $85 = $12.75,
    # then 0.15 × $72.25 = $10.8375 → $10.83.
    picks = [candidate(game_id=g) for g in ("g1", "g2", "g3")]
    decisions = decide_all(picks, state(), RULES, now=NOW)
    assert [d.stake_usd for d in decisions] == [15.00, 12.75, 10.83]
    assert [d.remaining_budget_usd for d in decisions] == [100.00, 85.00, 72.25]


def test_blended_probability() -> None:
    assert blended_probability(candidate(), RULES) == pytest.approx(0.65)
    rules = dataclasses.replace(RULES, market_weight=0.25)
    # 0.75·0.70 + 0.25·0.60 = 0.675
    assert blended_probability(candidate(), rules) == pytest.approx(0.675)


# --- the week and the state -------------------------------------------------------------------


def test_a_state_from_another_week_is_a_fresh_week() -> None:
    last_week = BookState(
        week="2025-W37", staked_this_week_usd=100.0, bets_today=8, taken=frozenset({("g9", "h2h")})
    )
    decision = decide(candidate(), last_week, RULES, now=NOW)
    assert decision.stake_usd == 15.00
    assert decision.remaining_budget_usd == 100.00
    fresh = last_week.as_of(NOW)
    assert fresh == BookState(week=WEEK, taken=frozenset({("g9", "h2h")}))  # taken games stay taken
    assert fresh.as_of(NOW) is fresh


def test_unspent_budget_does_not_carry_over() -> None:
    # $10 spent last week does not make next week's budget $190.
    monday = week_start(NOW) + timedelta(days=7, hours=12)
    state_next = BookState(week="2025-W38", staked_this_week_usd=10.0).as_of(monday)
    assert remaining_budget_usd(state_next, RULES) == 100.0


def test_after_records_a_bet_and_ignores_a_zero_stake() -> None:
    c = candidate()
    placed = state().after(c, 15.0)
    assert placed == state(staked_this_week_usd=15.0, bets_today=1, taken=frozenset({("g1", "h2h")}))
    assert placed.after(candidate(game_id="g2"), 0.0) is placed
    # Cents add up as cents.
    assert state().after(c, 0.10).after(candidate(game_id="g2"), 0.20).staked_this_week_usd == 0.30
    with pytest.raises(InvalidInput, match="stake_usd"):
        state().after(c, -1.0)


def test_fresh_state() -> None:
    assert BookState.fresh(NOW) == BookState(week=WEEK, staked_this_week_usd=0.0, bets_today=0)


def test_decide_all_skips_a_duplicate_and_stops_at_the_daily_limit() -> None:
    rules = dataclasses.replace(RULES, max_bets_per_day=2)
    picks = [candidate(), candidate(side="away"), candidate(game_id="g2"), candidate(game_id="g3")]
    decisions = decide_all(picks, state(), rules, now=NOW)
    assert [d.bet for d in decisions] == [True, False, True, False]
    assert decisions[1].reason == "already bet h2h on game g1"
    assert decisions[3].reason == "already 2 bets today (the daily limit is 2)"


def test_decide_is_deterministic_and_pure() -> None:
    s = state(staked_this_week_usd=12.34)
    first = decide(candidate(), s, RULES, now=NOW)
    assert decide(candidate(), s, RULES, now=NOW) == first
    assert s == state(staked_this_week_usd=12.34)


def test_now_must_be_aware() -> None:
    with pytest.raises(InvalidInput, match="now must be timezone-aware"):
        decide(candidate(), state(), RULES, now=datetime(2025, 9, 17, 18, 0))


# --- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("min_probability", 1.5),
        ("min_probability", -0.1),
        ("market_weight", 1.01),
        ("kelly_multiplier", 0.0),
        ("kelly_multiplier", 1.5),
        ("weekly_budget_usd", 0.0),
        ("weekly_budget_usd", float("inf")),
        ("min_edge", -0.01),
        ("min_edge", float("nan")),
        ("max_stake_share", 0.0),
        ("max_stake_share", 1.2),
        ("max_bets_per_day", 0),
        ("max_bets_per_day", 2.5),
        ("max_bets_per_day", True),
        ("max_odds_age", timedelta(0)),
        ("min_books", 0),
        ("min_stake_usd", 0.0),
        ("min_stake_usd", 30.0),  # above the $25 per-bet cap: nothing could ever be bet
    ],
)
def test_rules_reject_out_of_range_values(field: str, value: object) -> None:
    with pytest.raises(InvalidInput, match=field):
        StakingRules(**{field: value})


def test_rules_defaults() -> None:
    assert RULES.max_stake_usd == 25.0
    assert RULES.max_odds_age == timedelta(hours=6)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("probability", 1.0),
        ("market_probability", 0.0),
        ("odds_american", 50),
        ("odds_american", 110.5),
        ("odds_american", True),
        ("odds_seen_at", datetime(2025, 9, 17, 12, 0)),
        ("commence_time", datetime(2025, 9, 17, 21, 0)),
        ("books", -1),
        ("game_id", ""),
        ("point", float("nan")),
    ],
)
def test_candidates_reject_bad_values(field: str, value: object) -> None:
    with pytest.raises(InvalidInput, match=field):
        candidate(**{field: value})


@pytest.mark.parametrize(
    ("field", "value"),
    [("week", "2025-38"), ("week", "2025-W54"), ("staked_this_week_usd", -1.0), ("bets_today", -1)],
)
def test_book_states_reject_bad_values(field: str, value: object) -> None:
    with pytest.raises(InvalidInput, match=field):
        state(**{field: value})


# --- properties -------------------------------------------------------------------------------


def _floor_cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_FLOOR)


@st.composite
def rules_strategy(draw: st.DrawFn) -> StakingRules:
    budget = draw(st.integers(500, 50_000)) / 100  # $5.00 to $500.00
    share = draw(st.floats(0.05, 1.0))
    min_stake = draw(st.floats(0.01, min(5.0, budget * share)))
    return StakingRules(
        min_probability=draw(st.floats(0.5, 0.8)),
        market_weight=draw(st.floats(0.0, 1.0)),
        kelly_multiplier=draw(st.floats(0.05, 1.0)),
        weekly_budget_usd=budget,
        min_edge=draw(st.floats(0.0, 0.1)),
        max_stake_share=share,
        max_bets_per_day=draw(st.integers(1, 12)),
        min_books=draw(st.integers(1, 4)),
        min_stake_usd=min_stake,
    )


@st.composite
def candidate_strategy(draw: st.DrawFn) -> Candidate:
    # Few games and markets so that duplicates happen; mostly confident, mostly fresh.
    return candidate(
        game_id=draw(st.sampled_from(["g1", "g2", "g3", "g4", "g5", "g6"])),
        market=draw(st.sampled_from(["h2h", "spreads", "totals"])),
        probability=draw(st.floats(0.45, 0.97)),
        market_probability=draw(st.floats(0.2, 0.95)),
        odds_american=draw(st.one_of(st.integers(-400, -100), st.integers(100, 400))),
        books=draw(st.integers(0, 6)),
        odds_seen_at=NOW - timedelta(minutes=draw(st.integers(0, 8 * 60))),
        commence_time=NOW + timedelta(minutes=draw(st.integers(-120, 48 * 60))),
    )


@st.composite
def state_strategy(draw: st.DrawFn, rules: StakingRules) -> BookState:
    cents = int(Decimal(repr(rules.weekly_budget_usd)) * 100)
    return state(
        staked_this_week_usd=draw(st.integers(0, cents)) / 100,
        bets_today=draw(st.integers(0, rules.max_bets_per_day)),
        taken=frozenset(draw(st.lists(st.tuples(st.sampled_from(["g1", "g6"]), st.just("h2h")), max_size=2))),
    )


@given(data=st.data(), rules=rules_strategy(), picks=st.lists(candidate_strategy(), max_size=25))
@PROPERTY
def test_a_week_of_decisions_keeps_every_limit(
    data: st.DataObject, rules: StakingRules, picks: list[Candidate]
) -> None:
    start = data.draw(state_strategy(rules))
    decisions = decide_all(picks, start, rules, now=NOW)
    assert len(decisions) == len(picks)

    budget = Decimal(repr(rules.weekly_budget_usd))
    staked = Decimal(repr(start.staked_this_week_usd))
    taken = set(start.taken)
    bets = 0
    for pick, decision in zip(picks, decisions, strict=True):
        remaining = max(Decimal(0), _floor_cents(budget - staked))
        assert decision.remaining_budget_usd == float(remaining) >= 0.0
        stake = Decimal(repr(decision.stake_usd))
        assert stake == stake.quantize(Decimal("0.01"))  # whole cents
        if not decision.bet:
            assert decision.stake_usd == 0.0
            assert decision.reason
            continue
        assert decision.stake_usd >= rules.min_stake_usd
        assert pick.key not in taken
        # The stake is min(half Kelly of the blended p × remaining, cap, remaining), rounded down.
        p = (1 - rules.market_weight) * pick.probability + rules.market_weight * pick.market_probability
        raw = min(
            rules.kelly_multiplier
            * kelly_fraction(p, american_to_decimal(pick.odds_american))
            * float(remaining),
            rules.max_stake_share * rules.weekly_budget_usd,
            float(remaining),
        )
        assert raw - 0.01 - 1e-9 < decision.stake_usd <= raw + 1e-9
        assert decision.edge is not None
        assert decision.edge >= rules.min_edge
        assert pick.probability >= rules.min_probability
        taken.add(pick.key)
        staked += stake
        bets += 1
        # Never more than the weekly budget in total.
        assert staked <= budget
    assert start.bets_today + bets <= rules.max_bets_per_day


@given(picks=st.lists(candidate_strategy(), max_size=25))
@PROPERTY
def test_from_an_empty_week_stakes_never_exceed_the_budget(picks: list[Candidate]) -> None:
    decisions = decide_all(picks, BookState.fresh(NOW), RULES, now=NOW)
    total = sum(Decimal(repr(d.stake_usd)) for d in decisions)
    assert total <= Decimal("100")
    placed = [p.key for p, d in zip(picks, decisions, strict=True) if d.bet]
    assert len(placed) == len(set(placed))
    assert all(d.stake_usd == 0.0 or d.stake_usd >= 1.0 for d in decisions)
    assert all(d.stake_usd <= 25.0 for d in decisions)
