"""The staking engine: the controls a candidate bet must pass, then its stake.

``decide`` runs ``CONTROLS`` in order (the game has not started, fresh odds, enough books,
Benny's probability, one bet per market, the daily limit, the week's budget), then prices the
bet on the blend of Benny's and the market's probability (``edge_too_small``) and sizes it by
fractional Kelly on what is left of the week. ``decide_all`` does that for a list in the
caller's order. The rules and the values they work on are in ``core.staking``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from typing import Final, Protocol

from core.formatting import percent, usd
from core.kelly import kelly_fraction
from core.staking import (
    BookState,
    Candidate,
    Decision,
    StakingRules,
    blended_probability,
    check_aware,
    remaining_budget_usd,
)

__all__ = [
    "CONTROLS",
    "Control",
    "already_taken",
    "budget_exhausted",
    "daily_limit_reached",
    "decide",
    "decide_all",
    "edge_too_small",
    "game_started",
    "odds_stale",
    "probability_too_low",
    "too_few_books",
]

_CENT: Final = Decimal("0.01")
_NANO: Final = Decimal("0.000000001")


# --- formatting ------------------------------------------------------------------------------


def _floor_cents(amount_usd: float) -> float:
    """Round a computed amount down to whole cents.

    Float arithmetic leaves noise far below a cent (half Kelly of 0.3 on $100 comes out as
    $14.999999999999998), so the amount is first rounded to nano-dollars; an exact $15 then
    stays $15.00 instead of dropping to $14.99.
    """
    nano = Decimal(float(amount_usd)).quantize(_NANO, rounding=ROUND_HALF_EVEN)
    return float(nano.quantize(_CENT, rounding=ROUND_FLOOR))


def _duration(duration: timedelta, *, round_up: bool = False) -> str:
    """``6h00m``; an age rounds up so that one just over the limit never reads as equal to it."""
    seconds = duration.total_seconds()
    minutes = math.ceil(seconds / 60) if round_up else math.floor(seconds / 60)
    return f"{minutes // 60}h{minutes % 60:02d}m"


# --- controls ---------------------------------------------------------------------------------


class Control(Protocol):
    """A control returns None to let a candidate through, or a reason a person can read."""

    def __call__(
        self, candidate: Candidate, state: BookState, rules: StakingRules, *, now: datetime
    ) -> str | None: ...


def game_started(candidate: Candidate, state: BookState, rules: StakingRules, *, now: datetime) -> str | None:
    """Refuse a game that has started: from its start on, the price is stale by definition."""
    if now >= candidate.commence_time:
        start = candidate.commence_time.astimezone(UTC)
        return f"the game started at {start:%Y-%m-%d %H:%M} UTC"
    return None


def odds_stale(candidate: Candidate, state: BookState, rules: StakingRules, *, now: datetime) -> str | None:
    """Refuse odds older than ``max_odds_age``: the line may have moved and the edge with it."""
    age = now - candidate.odds_seen_at
    if age > rules.max_odds_age:
        return (
            f"the odds are {_duration(age, round_up=True)} old (the limit is {_duration(rules.max_odds_age)})"
        )
    return None


def too_few_books(
    candidate: Candidate, state: BookState, rules: StakingRules, *, now: datetime
) -> str | None:
    """Refuse a market too few books price: one book's consensus is no consensus."""
    if candidate.books < rules.min_books:
        books = "book prices" if candidate.books == 1 else "books price"
        return f"only {candidate.books} {books} this market (at least {rules.min_books} needed)"
    return None


def probability_too_low(
    candidate: Candidate, state: BookState, rules: StakingRules, *, now: datetime
) -> str | None:
    """Refuse a side Benny itself is not confident enough in, whatever the price."""
    if candidate.probability < rules.min_probability:
        return (
            f"Benny's probability {percent(candidate.probability)} is below "
            f"the {percent(rules.min_probability)} threshold"
        )
    return None


def already_taken(
    candidate: Candidate, state: BookState, rules: StakingRules, *, now: datetime
) -> str | None:
    """Refuse a second bet on the same (game, market): sides of one market are not independent."""
    if candidate.key in state.taken:
        return f"already bet {candidate.market} on game {candidate.game_id}"
    return None


def daily_limit_reached(
    candidate: Candidate, state: BookState, rules: StakingRules, *, now: datetime
) -> str | None:
    """Refuse once ``max_bets_per_day`` bets are placed today."""
    if state.bets_today >= rules.max_bets_per_day:
        return f"already {state.bets_today} bets today (the daily limit is {rules.max_bets_per_day})"
    return None


def budget_exhausted(
    candidate: Candidate, state: BookState, rules: StakingRules, *, now: datetime
) -> str | None:
    """Refuse when less than the minimum stake is left of this week's budget."""
    left = remaining_budget_usd(state, rules)
    if left < rules.min_stake_usd:
        return (
            f"only {usd(left)} of this week's {usd(rules.weekly_budget_usd)} budget is left "
            f"(the minimum stake is {usd(rules.min_stake_usd)})"
        )
    return None


# In the order they are checked: the plainest reasons (the game is over, the data is bad) first,
# so the reason a person reads is the most fundamental one.
CONTROLS: Final[tuple[Control, ...]] = (
    game_started,
    odds_stale,
    too_few_books,
    probability_too_low,
    already_taken,
    daily_limit_reached,
    budget_exhausted,
)


def edge_too_small(edge: float, rules: StakingRules) -> str | None:
    """Refuse a bet whose EV per dollar after blending is not positive or is below ``min_edge``."""
    if edge <= 0.0:
        return f"no edge after blending with the market (EV {percent(edge)} per dollar)"
    if edge < rules.min_edge:
        return f"edge {percent(edge)} after blending is below the {percent(rules.min_edge)} minimum"
    return None


# --- deciding ---------------------------------------------------------------------------------


def decide(candidate: Candidate, state: BookState, rules: StakingRules, *, now: datetime) -> Decision:
    """Bet ``candidate`` or not, and how much, given what is already bet and the rules.

    A ``state`` for another week than ``now``'s counts as a fresh week (nothing staked).
    """
    check_aware(now, "now")
    state = state.as_of(now)
    left = remaining_budget_usd(state, rules)

    for control in CONTROLS:
        reason = control(candidate, state, rules, now=now)
        if reason is not None:
            return Decision(0.0, None, None, None, left, reason)

    p = blended_probability(candidate, rules)
    d = candidate.odds_decimal
    edge = p * d - 1.0
    full = kelly_fraction(p, d)
    reason = edge_too_small(edge, rules)
    if reason is not None:
        return Decision(0.0, p, edge, full, left, reason)

    # Kelly on what is left of the week, not on the whole budget: stakes shrink as the week is
    # spent, so later bets are not sized on money already committed. Full Kelly is below 1 and
    # the multiplier at most 1, so the Kelly stake already fits in what is left; the min with
    # ``left`` states the budget rule outright rather than leaning on that.
    kelly_usd = rules.kelly_multiplier * full * left
    raw = min(kelly_usd, rules.max_stake_usd, left)
    note = f"clipped to the per-bet cap ({usd(rules.max_stake_usd)})" if kelly_usd > raw else None
    stake = _floor_cents(raw)
    if stake < rules.min_stake_usd:
        return Decision(
            0.0,
            p,
            edge,
            full,
            left,
            f"stake {usd(stake)} is below the {usd(rules.min_stake_usd)} minimum",
        )
    return Decision(stake, p, edge, full, left, note)


def decide_all(
    candidates: Iterable[Candidate], state: BookState, rules: StakingRules, *, now: datetime
) -> list[Decision]:
    """``decide`` each candidate in the given order, placing each bet before deciding the next.

    The order is the caller's choice (by edge, say): the budget and the daily limit go to the
    earlier candidates first.
    """
    check_aware(now, "now")
    state = state.as_of(now)
    decisions: list[Decision] = []
    for candidate in candidates:
        decision = decide(candidate, state, rules, now=now)
        decisions.append(decision)
        state = state.after(candidate, decision.stake_usd)
    return decisions
