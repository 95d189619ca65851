"""Staking: which candidate bets to place, and for how much, out of a weekly budget.

Pure and deterministic: no I/O and no clock. ``now`` is always an argument.

The rules (defaults in ``StakingRules``)
    1. The game has not started (``now >= commence_time`` is refused), its odds are at most
       ``max_odds_age`` old (6 h) and at least ``min_books`` books price the market (2).
    2. Benny's own probability for the side is at least ``min_probability`` (0.65).
    3. One bet per (game, market), at most ``max_bets_per_day`` bets a day (8).
    4. The week's remaining budget is at least ``min_stake_usd`` ($1).
    5. Benny's probability is shrunk toward the market's: p = (1 − w)·p_benny + w·p_market, with
       w = ``market_weight`` (0.5) and p_market the devigged consensus for the same side. The
       edge is the expected value per dollar at the offered decimal price d, p·d − 1; it must
       be positive and at least ``min_edge`` (2%).
    6. Stake = ``kelly_multiplier`` (½) × full Kelly(p, d) × the week's remaining budget,
       clipped to ``max_stake_share`` (¼) of the weekly budget and to what remains, then
       rounded down to whole cents. A stake under ``min_stake_usd`` is no bet.
    7. Each ISO week (Monday 00:00 UTC onward) stakes at most ``weekly_budget_usd`` ($100) in
       total. Unspent budget does not carry over and winnings do not refill it: ``BookState``
       counts stakes only.

Rules 1–4 are small named controls (``CONTROLS``), each returning ``None`` or a reason a
person can read; rule 5 is ``edge_too_small``. The first reason found refuses the bet, and
``Decision.reason`` carries it. ``decide_all`` applies candidates in the caller's order,
updating the ``BookState`` after each bet.

This module holds what the engine works with: the rules, a candidate, the book so far, a
decision, ISO weeks and the budget arithmetic. The controls and the decision itself are in
``core.staking_engine``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import ROUND_FLOOR, Decimal
from numbers import Integral
from typing import Final

from core.errors import InvalidInput
from core.odds import american_to_decimal, check_american, check_probability

__all__ = [
    "BookState",
    "Candidate",
    "Decision",
    "StakingRules",
    "blended_probability",
    "check_aware",
    "iso_week",
    "remaining_budget_usd",
    "week_start",
]

_WEEK_PATTERN: Final = re.compile(r"\d{4}-W(0[1-9]|[1-4]\d|5[0-3])")
_CENT: Final = Decimal("0.01")
# A budget bound keeps every amount well inside Decimal's 28 significant digits at nano-dollar
# precision; no real weekly budget comes near it.
_MAX_BUDGET_USD: Final = 1e9


# --- small helpers ----------------------------------------------------------------------------


def check_aware(moment: datetime, name: str) -> datetime:
    """``moment`` if it is a timezone-aware datetime; ``InvalidInput`` naming ``name`` otherwise."""
    if not isinstance(moment, datetime):
        raise InvalidInput(f"{name} must be a datetime, got {moment!r}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(f"{name} must be timezone-aware, got the naive {moment.isoformat()}")
    return moment


def _check_whole(value: int, name: str, *, minimum: int) -> int:
    # bool is an Integral too, and True as a count is a caller mistake, not 1.
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise InvalidInput(f"{name} must be a whole number, got {value!r}")
    if value < minimum:
        raise InvalidInput(f"{name} must be >= {minimum}, got {int(value)}")
    return int(value)


def _check_real(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise InvalidInput(f"{name} must be finite, got {value!r}")
    return float(value)


def _check_text(value: str, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{name} must be a non-empty string, got {value!r}")
    return value


def _money(amount_usd: float) -> Decimal:
    """An amount as written: the shortest decimal that reads back as the float (0.1 is 0.1)."""
    return Decimal(repr(float(amount_usd)))


# --- weeks ------------------------------------------------------------------------------------


def iso_week(moment: datetime) -> str:
    """The ISO week of an aware moment, in UTC: ``"2025-W38"`` (ISO year, zero-padded week)."""
    year, week, _ = check_aware(moment, "moment").astimezone(UTC).isocalendar()
    return f"{year:04d}-W{week:02d}"


def week_start(moment: datetime) -> datetime:
    """Monday 00:00 UTC of the ISO week that holds ``moment``."""
    day = check_aware(moment, "moment").astimezone(UTC).date()
    monday = day - timedelta(days=day.isoweekday() - 1)
    return datetime.combine(monday, time(0, 0), tzinfo=UTC)


# --- values -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StakingRules:
    """The limits the engine stakes within; every field is checked on construction."""

    min_probability: float = 0.65
    market_weight: float = 0.5
    kelly_multiplier: float = 0.5
    weekly_budget_usd: float = 100.0
    min_edge: float = 0.02
    max_stake_share: float = 0.25
    max_bets_per_day: int = 8
    max_odds_age: timedelta = timedelta(hours=6)
    min_books: int = 2
    min_stake_usd: float = 1.0

    def __post_init__(self) -> None:
        p_min = _check_real(self.min_probability, "min_probability")
        if not 0.0 <= p_min <= 1.0:
            raise InvalidInput(f"min_probability must be between 0 and 1, got {p_min}")
        weight = _check_real(self.market_weight, "market_weight")
        if not 0.0 <= weight <= 1.0:
            raise InvalidInput(f"market_weight must be between 0 and 1, got {weight}")
        multiplier = _check_real(self.kelly_multiplier, "kelly_multiplier")
        if not 0.0 < multiplier <= 1.0:
            raise InvalidInput(f"kelly_multiplier must be in (0, 1] (0.5 is half Kelly), got {multiplier}")
        budget = _check_real(self.weekly_budget_usd, "weekly_budget_usd")
        if not 0.0 < budget <= _MAX_BUDGET_USD:
            raise InvalidInput(f"weekly_budget_usd must be > 0 and <= {_MAX_BUDGET_USD:.0f}, got {budget}")
        edge = _check_real(self.min_edge, "min_edge")
        if edge < 0.0:
            raise InvalidInput(f"min_edge must be >= 0 (a bet must not lose money on average), got {edge}")
        share = _check_real(self.max_stake_share, "max_stake_share")
        if not 0.0 < share <= 1.0:
            raise InvalidInput(f"max_stake_share must be in (0, 1], got {share}")
        _check_whole(self.max_bets_per_day, "max_bets_per_day", minimum=1)
        if not isinstance(self.max_odds_age, timedelta) or self.max_odds_age <= timedelta(0):
            raise InvalidInput(f"max_odds_age must be a positive timedelta, got {self.max_odds_age!r}")
        _check_whole(self.min_books, "min_books", minimum=1)
        min_stake = _check_real(self.min_stake_usd, "min_stake_usd")
        if min_stake < 0.01:
            raise InvalidInput(f"min_stake_usd must be at least one cent, got {min_stake}")
        if min_stake > budget * share:
            # Otherwise every stake would be clipped below the minimum and nothing could be bet.
            raise InvalidInput(
                f"min_stake_usd ({min_stake}) must not exceed the per-bet cap "
                f"max_stake_share × weekly_budget_usd ({budget * share})"
            )

    @property
    def max_stake_usd(self) -> float:
        """The per-bet cap: ``max_stake_share`` × ``weekly_budget_usd``."""
        return self.max_stake_share * self.weekly_budget_usd


@dataclass(frozen=True, slots=True)
class Candidate:
    """A side Benny might bet: its probabilities, the offered price and where it came from.

    ``probability`` is Benny's for the side; ``market_probability`` the devigged consensus for
    the same side; ``books`` how many books price the market.
    """

    game_id: str
    market: str
    side: str
    point: float | None
    probability: float
    market_probability: float
    odds_american: int
    book: str
    odds_seen_at: datetime
    books: int
    commence_time: datetime

    def __post_init__(self) -> None:
        _check_text(self.game_id, "game_id")
        _check_text(self.market, "market")
        _check_text(self.side, "side")
        _check_text(self.book, "book")
        if self.point is not None:
            _check_real(self.point, "point")
        check_probability(_check_real(self.probability, "probability"), name="probability")
        check_probability(
            _check_real(self.market_probability, "market_probability"), name="market_probability"
        )
        if isinstance(self.odds_american, bool) or not isinstance(self.odds_american, Integral):
            raise InvalidInput(f"odds_american must be a whole number, got {self.odds_american!r}")
        check_american(float(self.odds_american), name="odds_american")
        check_aware(self.odds_seen_at, "odds_seen_at")
        check_aware(self.commence_time, "commence_time")
        _check_whole(self.books, "books", minimum=0)

    @property
    def key(self) -> tuple[str, str]:
        """(game_id, market): what may be bet only once."""
        return (self.game_id, self.market)

    @property
    def odds_decimal(self) -> float:
        return american_to_decimal(float(self.odds_american))


@dataclass(frozen=True, slots=True)
class BookState:
    """What has been bet so far: stakes this ISO week, bets today, and the (game, market) pairs taken.

    ``bets_today`` is the caller's count for the day of ``now`` (the caller knows the user's
    day); the engine resets it, with the stakes, only when the week changes.
    """

    week: str
    staked_this_week_usd: float = 0.0
    bets_today: int = 0
    taken: frozenset[tuple[str, str]] = frozenset()

    def __post_init__(self) -> None:
        if not isinstance(self.week, str) or not _WEEK_PATTERN.fullmatch(self.week):
            raise InvalidInput(f"week must look like 2025-W38, got {self.week!r}")
        staked = _check_real(self.staked_this_week_usd, "staked_this_week_usd")
        if staked < 0.0:
            raise InvalidInput(f"staked_this_week_usd must be >= 0, got {staked}")
        _check_whole(self.bets_today, "bets_today", minimum=0)
        if not isinstance(self.taken, frozenset):
            raise InvalidInput(f"taken must be a frozenset of (game_id, market) pairs, got {self.taken!r}")

    @classmethod
    def fresh(cls, now: datetime) -> BookState:
        """Nothing bet yet in the week of ``now``."""
        return cls(week=iso_week(now))

    def as_of(self, now: datetime) -> BookState:
        """This state if it is for the week of ``now``; otherwise a fresh week.

        A new week starts with nothing staked and no bets today, but keeps ``taken``: a game
        bet on a Sunday that starts on Monday must still not be bet twice.
        """
        week = iso_week(now)
        if week == self.week:
            return self
        return BookState(week=week, taken=self.taken)

    def after(self, candidate: Candidate, stake_usd: float) -> BookState:
        """The state once ``stake_usd`` is bet on ``candidate``; a stake of 0 changes nothing.

        So a loop can apply every decision: ``state = state.after(candidate, decision.stake_usd)``.
        """
        stake = _check_real(stake_usd, "stake_usd")
        if stake < 0.0:
            raise InvalidInput(f"stake_usd must be >= 0, got {stake}")
        if stake == 0.0:
            return self
        # Sum in decimal so cents stay cents: 0.10 + 0.20 is 0.30, not 0.30000000000000004.
        staked = float(_money(self.staked_this_week_usd) + _money(stake))
        return BookState(
            week=self.week,
            staked_this_week_usd=staked,
            bets_today=self.bets_today + 1,
            taken=self.taken | {candidate.key},
        )


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether to bet a candidate and how much.

    ``stake_usd`` is 0.0 when there is no bet, else whole cents. ``blended_probability``,
    ``edge`` (EV per dollar after blending) and ``full_kelly`` are None when a control refused
    the candidate before it was priced. ``remaining_budget_usd`` is the week's budget left
    before this bet. ``reason`` says why not, or notes a clipped stake.
    """

    stake_usd: float
    blended_probability: float | None
    edge: float | None
    full_kelly: float | None
    remaining_budget_usd: float
    reason: str | None

    @property
    def bet(self) -> bool:
        return self.stake_usd > 0.0


# --- money ------------------------------------------------------------------------------------


def remaining_budget_usd(state: BookState, rules: StakingRules) -> float:
    """What is left of the weekly budget, in whole cents and never below zero.

    ``state`` must already be for the current week (see ``BookState.as_of``).
    """
    left = _money(rules.weekly_budget_usd) - _money(state.staked_this_week_usd)
    return max(0.0, float(left.quantize(_CENT, rounding=ROUND_FLOOR)))


def blended_probability(candidate: Candidate, rules: StakingRules) -> float:
    """(1 − w)·p_benny + w·p_market, w = ``rules.market_weight``.

    Shrinking toward the market guards against a model that is confidently wrong: the
    devigged consensus is hard to beat, so an edge must survive being averaged with it.
    """
    w = rules.market_weight
    return (1.0 - w) * candidate.probability + w * candidate.market_probability
