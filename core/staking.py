"""The staking engine: which candidate bets to place, and for how much, out of a weekly budget.

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
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from numbers import Integral
from typing import Final, Protocol

from core.errors import InvalidInput
from core.formatting import percent, usd
from core.kelly import kelly_fraction
from core.odds import american_to_decimal, check_american, check_probability

__all__ = [
    "CONTROLS",
    "BookState",
    "Candidate",
    "Control",
    "Decision",
    "StakingRules",
    "already_taken",
    "blended_probability",
    "budget_exhausted",
    "daily_limit_reached",
    "decide",
    "decide_all",
    "edge_too_small",
    "game_started",
    "iso_week",
    "odds_stale",
    "probability_too_low",
    "remaining_budget_usd",
    "too_few_books",
    "week_start",
]

_WEEK_PATTERN: Final = re.compile(r"\d{4}-W(0[1-9]|[1-4]\d|5[0-3])")
_CENT: Final = Decimal("0.01")
_NANO: Final = Decimal("0.000000001")
# A budget bound keeps every amount well inside Decimal's 28 significant digits at nano-dollar
# precision; no real weekly budget comes near it.
_MAX_BUDGET_USD: Final = 1e9


# --- small helpers ----------------------------------------------------------------------------


def _check_aware(moment: datetime, name: str) -> datetime:
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


# --- weeks ------------------------------------------------------------------------------------


def iso_week(moment: datetime) -> str:
    """The ISO week of an aware moment, in UTC: ``"2025-W38"`` (ISO year, zero-padded week)."""
    year, week, _ = _check_aware(moment, "moment").astimezone(UTC).isocalendar()
    return f"{year:04d}-W{week:02d}"


def week_start(moment: datetime) -> datetime:
    """Monday 00:00 UTC of the ISO week that holds ``moment``."""
    day = _check_aware(moment, "moment").astimezone(UTC).date()
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
        _check_aware(self.odds_seen_at, "odds_seen_at")
        _check_aware(self.commence_time, "commence_time")
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
    _check_aware(now, "now")
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
    _check_aware(now, "now")
    state = state.as_of(now)
    decisions: list[Decision] = []
    for candidate in candidates:
        decision = decide(candidate, state, rules, now=now)
        decisions.append(decision)
        state = state.after(candidate, decision.stake_usd)
    return decisions
