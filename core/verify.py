"""Grading one prediction (or bet) against a final score, and the numbers a record is made of.

Grades
    ``grade`` turns a side of a market and a final score into a ``Grade``. ``point`` is always
    the picked side's own number: its handicap for spreads (home −4.5 must win by 5 or more,
    away +4.5 may lose by up to 4), the total for over and under, ``None`` for moneylines.

    - h2h: a win is WON and a loss LOST. A tie in a two-way sport (an NFL tie) is a PUSH for
      both sides. In soccer the draw is a side of its own: it wins on a draw, and home and away
      both lose on a draw.
    - spreads and totals: margin = (side's score − other's score) + point for spreads,
      (total − point) for over, (point − total) for under; > 0 WON, < 0 LOST, = 0 PUSH.
    - quarter lines (point·4 odd: −0.25, +0.75, 2.25, ...) are two half stakes on the lines
      0.25 either side (−0.25 → 0 and −0.5). Both win: WON; both lose: LOST; one wins and one
      pushes: HALF_WON; one loses and one pushes: HALF_LOST. With whole-number scores the two
      halves never split into a win and a loss, so these four cover every case.
    - VOID (a cancelled or abandoned game) never comes from a score; the caller decides it.

Inverses
    The inverse of a two-way prediction is the other side: the mirrored point for spreads, the
    same point for totals (``inverse_pick``). Its grade is the opposite (``inverse_grade``:
    WON↔LOST, HALF_WON↔HALF_LOST, PUSH and VOID unchanged). A three-way moneyline has no single
    other side: the inverse of "home" is "not home" (a draw or an away win), which ``grade_not``
    grades, by the same negation.

Counting a record (``tally``, ``accuracy``)
    Accuracy is won / (won + lost) with pushes and voids left out. A half result is half a bet
    that was decided and half a bet that pushed: HALF_WON adds 0.5 to won and 0.5 to pushed,
    HALF_LOST adds 0.5 to lost and 0.5 to pushed. This matches the money (``settle_units``
    pays half the win or loses half the stake), and because inverse grades swap won and lost
    exactly, the inverse's accuracy is always 1 − the original's.

Money
    ``settle_units`` is the profit per unit staked; ``clv`` is the price taken against the
    devigged closing price. A prediction's Brier and log loss are ``core.scoring``'s.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from numbers import Integral
from typing import Final, TypeVar

import numpy as np

from core.errors import InvalidInput
from core.odds import check_decimal, check_probability, require, to_float_array
from core.sports import Market, Side, Sport

__all__ = [
    "Grade",
    "Tally",
    "accuracy",
    "check_count",
    "clv",
    "grade",
    "grade_not",
    "inverse_grade",
    "inverse_pick",
    "roi",
    "settle_units",
    "tally",
]

_E = TypeVar("_E", bound=StrEnum)


class Grade(StrEnum):
    """The result of one prediction or bet; the values are what the verifications table stores."""

    WON = "won"
    LOST = "lost"
    PUSH = "push"
    VOID = "void"
    HALF_WON = "half_won"
    HALF_LOST = "half_lost"


# --- validation -------------------------------------------------------------------------------


def check_count(value: float, *, name: str) -> float:
    """Return a count (whole or fractional: half results count 0.5) if finite and >= 0."""
    values = to_float_array(value, name)
    if values.ndim != 0:
        raise InvalidInput(f"{name} must be a single number, got {value!r}")
    require(values, np.isfinite(values) & (values >= 0.0), name, "must be finite and >= 0")
    return float(values)


def _check_score(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise InvalidInput(f"{name} must be a whole number, got {value!r}")
    if value < 0:
        raise InvalidInput(f"{name} must be >= 0, got {int(value)}")
    return int(value)


def _parse(kind: type[_E], value: str, name: str) -> _E:
    """The enum member for ``value`` (members and their string values are both accepted)."""
    try:
        return kind(value)
    except ValueError:
        valid = ", ".join(member.value for member in kind)
        raise InvalidInput(f"{name} must be one of {valid}, got {value!r}") from None


def _check_pick(
    sport: Sport, market: Market, side: Side, point: float | None
) -> tuple[Sport, Market, Side, float | None]:
    """Validated (sport, market, side, point) of a pick; strings are accepted for the enums."""
    sport = _parse(Sport, sport, "sport")
    market = _parse(Market, market, "market")
    side = _parse(Side, side, "side")
    if market is Market.TOTALS:
        allowed: tuple[Side, ...] = (Side.OVER, Side.UNDER)
    elif market is Market.H2H and sport.has_draw:
        allowed = (Side.HOME, Side.AWAY, Side.DRAW)
    else:
        allowed = (Side.HOME, Side.AWAY)
    if side not in allowed:
        names = " or ".join(s.value for s in allowed) if len(allowed) == 2 else "home, away or draw"
        raise InvalidInput(f"side must be {names} for {sport.short} {market.value}, got {side.value!r}")
    if market is Market.H2H:
        if point is not None:
            raise InvalidInput(f"point must be None for h2h, got {point!r}")
        return sport, market, side, None
    if point is None:
        raise InvalidInput(f"point is required for {market.value}, got None")
    number = to_float_array(point, "point")
    if number.ndim != 0:
        raise InvalidInput(f"point must be a single number, got {point!r}")
    require(number, np.isfinite(number), "point", "must be finite")
    if market is Market.TOTALS:
        require(number, number >= 0.0, "point", "must be >= 0 for totals")
    return sport, market, side, float(number)


# --- grading ----------------------------------------------------------------------------------


def _by_margin(margin: float) -> Grade:
    if margin > 0.0:
        return Grade.WON
    if margin < 0.0:
        return Grade.LOST
    return Grade.PUSH


_QUARTER_HALVES: Final = {
    frozenset({Grade.WON}): Grade.WON,
    frozenset({Grade.LOST}): Grade.LOST,
    frozenset({Grade.WON, Grade.PUSH}): Grade.HALF_WON,
    frozenset({Grade.LOST, Grade.PUSH}): Grade.HALF_LOST,
}


def _is_quarter_line(point: float) -> bool:
    quarters = point * 4.0
    return quarters.is_integer() and int(quarters) % 2 == 1


def _grade_margin(margin_before_point: float, point: float) -> Grade:
    """Grade ``margin_before_point + point``, splitting a quarter line into its two half lines."""
    if not _is_quarter_line(point):
        return _by_margin(margin_before_point + point)
    halves = frozenset(_by_margin(margin_before_point + line) for line in (point - 0.25, point + 0.25))
    return _QUARTER_HALVES[halves]


def grade(
    *, sport: Sport, market: Market, side: Side, point: float | None, home_score: int, away_score: int
) -> Grade:
    """The grade of ``side`` (at ``point``, its own handicap or the total) given the final score.

    Raises InvalidInput for a side the market does not have (a draw outside soccer's
    moneyline, over/under outside totals), a missing point on spreads or totals, a point on a
    moneyline, or a score that is not a whole number >= 0.
    """
    sport, market, side, point = _check_pick(sport, market, side, point)
    home = _check_score(home_score, "home_score")
    away = _check_score(away_score, "away_score")
    if market is Market.H2H:
        if side is Side.DRAW:
            return Grade.WON if home == away else Grade.LOST
        own, other = (home, away) if side is Side.HOME else (away, home)
        if own == other:
            # Soccer's draw is its own outcome, so home and away lose; elsewhere a tie refunds.
            return Grade.LOST if sport.has_draw else Grade.PUSH
        return Grade.WON if own > other else Grade.LOST
    assert point is not None  # _check_pick requires it for spreads and totals
    if market is Market.SPREADS:
        own, other = (home, away) if side is Side.HOME else (away, home)
        return _grade_margin(float(own - other), point)
    total = float(home + away)
    if side is Side.OVER:
        return _grade_margin(total, -point)
    return _grade_margin(-total, point)


_INVERSE: Final = {
    Grade.WON: Grade.LOST,
    Grade.LOST: Grade.WON,
    Grade.HALF_WON: Grade.HALF_LOST,
    Grade.HALF_LOST: Grade.HALF_WON,
    Grade.PUSH: Grade.PUSH,
    Grade.VOID: Grade.VOID,
}


def inverse_grade(result: Grade) -> Grade:
    """The grade of the complementary proposition: WON↔LOST, HALF_WON↔HALF_LOST, PUSH/VOID as is.

    For a two-way market this is the grade of the other side at the mirrored line
    (``inverse_pick``); for a three-way moneyline it is the grade of "not that side".
    """
    return _INVERSE[_parse(Grade, result, "grade")]


def inverse_pick(
    *, sport: Sport, market: Market, side: Side, point: float | None
) -> tuple[Side, float | None]:
    """The inverse of a two-way pick: the other side, the mirrored point for spreads, the same total.

    A three-way moneyline (soccer) has no single other side and raises InvalidInput: its inverse
    is "not that side", graded by ``grade_not``.
    """
    sport, market, side, point = _check_pick(sport, market, side, point)
    if market is Market.H2H and sport.has_draw:
        raise InvalidInput(
            f"{sport.short} h2h is three-way and has no single inverse side; grade 'not {side.value}' "
            "with grade_not"
        )
    other = {Side.HOME: Side.AWAY, Side.AWAY: Side.HOME, Side.OVER: Side.UNDER, Side.UNDER: Side.OVER}[side]
    if market is Market.SPREADS and point is not None:
        return other, -point + 0.0  # + 0.0 turns a mirrored 0 into 0.0 rather than -0.0
    return other, point


def grade_not(
    *, sport: Sport, market: Market, side: Side, point: float | None, home_score: int, away_score: int
) -> Grade:
    """The grade of "not ``side``": in soccer's moneyline, not home is a draw or an away win.

    For a two-way market this equals grading ``inverse_pick`` of the side.
    """
    return inverse_grade(
        grade(
            sport=sport, market=market, side=side, point=point, home_score=home_score, away_score=away_score
        )
    )


# --- money ------------------------------------------------------------------------------------


def settle_units(result: Grade, odds_decimal: float) -> float:
    """Profit per 1 unit staked at decimal odds d: WON d − 1, LOST −1, PUSH/VOID 0,
    HALF_WON (d − 1)/2, HALF_LOST −0.5."""
    result = _parse(Grade, result, "grade")
    d = check_decimal(odds_decimal)
    if result is Grade.WON:
        return d - 1.0
    if result is Grade.LOST:
        return -1.0
    if result is Grade.HALF_WON:
        return (d - 1.0) / 2.0
    if result is Grade.HALF_LOST:
        return -0.5
    return 0.0


def clv(price_taken_decimal: float, closing_fair_probability: float) -> float:
    """Closing-line value: price taken ÷ fair closing price − 1, the fair price being 1 / p_close.

    Took 2.10 when the devigged close said 0.5 (fair price 2.0): 2.10 / 2.0 − 1 = 0.05.
    """
    price = check_decimal(price_taken_decimal, name="price_taken_decimal")
    fair = check_probability(closing_fair_probability, name="closing_fair_probability")
    return price * fair - 1.0


# --- a record ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tally:
    """Counts of a set of grades; half results count half won (or lost) and half pushed."""

    won: float = 0.0
    lost: float = 0.0
    pushed: float = 0.0
    void: float = 0.0

    @property
    def graded(self) -> float:
        """Bets that were decided: won + lost."""
        return self.won + self.lost

    @property
    def accuracy(self) -> float | None:
        return accuracy(self.won, self.lost)


_TALLY_WEIGHTS: Final = {
    Grade.WON: (1.0, 0.0, 0.0, 0.0),
    Grade.LOST: (0.0, 1.0, 0.0, 0.0),
    Grade.PUSH: (0.0, 0.0, 1.0, 0.0),
    Grade.VOID: (0.0, 0.0, 0.0, 1.0),
    Grade.HALF_WON: (0.5, 0.0, 0.5, 0.0),
    Grade.HALF_LOST: (0.0, 0.5, 0.5, 0.0),
}


def tally(grades: Iterable[Grade]) -> Tally:
    """Count won, lost, pushed and void; HALF_WON is 0.5 won + 0.5 pushed, HALF_LOST 0.5 lost + 0.5 pushed."""
    won = lost = pushed = void = 0.0
    for result in grades:
        w, lo, p, v = _TALLY_WEIGHTS[_parse(Grade, result, "grade")]
        won, lost, pushed, void = won + w, lost + lo, pushed + p, void + v
    return Tally(won=won, lost=lost, pushed=pushed, void=void)


def accuracy(won: float, lost: float) -> float | None:
    """won / (won + lost), pushes and voids excluded; None when nothing was decided."""
    w = check_count(won, name="won")
    lo = check_count(lost, name="lost")
    if w + lo == 0.0:
        return None
    return w / (w + lo)


def roi(profit_units_total: float, staked_units_total: float) -> float | None:
    """Return on investment: profit as a fraction of the amount staked; None when nothing was staked."""
    profit = to_float_array(profit_units_total, "profit_units_total")
    if profit.ndim != 0:
        raise InvalidInput(f"profit_units_total must be a single number, got {profit_units_total!r}")
    require(profit, np.isfinite(profit), "profit_units_total", "must be finite")
    staked = check_count(staked_units_total, name="staked_units_total")
    if staked == 0.0:
        return None
    return float(profit) / staked
