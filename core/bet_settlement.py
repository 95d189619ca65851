"""Settling a bet in dollars, and a one-line post-mortem of how it went.

Profit by the seed's settlement rule on American odds (as ``core.odds.profit_american``)
    won        positive odds: stake × odds / 100; negative odds: stake / (|odds| / 100)
    lost       −stake
    push, void 0 (the stake comes back)
    half_won   half the stake wins at the odds, the other half comes back
    half_lost  −stake / 2 (half the stake is lost, the other half comes back)

Rounding
    The arithmetic is decimal, not binary. The stake is read as written (the shortest decimal
    that reads back as the float, so $5.35 is 5.35 and not 5.3499999...), and American odds are
    whole numbers, so stake × odds / 100 is exact and stake / (|odds| / 100) is exact to 28
    significant digits. That result is rounded half to even to cents: an exact half cent goes
    to the even cent (−$2.675 → −$2.68, $8.025 → $8.02), so over many bets rounding does not
    drift one way, and floating-point noise can never decide which way a half cent goes.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal
from numbers import Integral
from typing import Final

from core.errors import InvalidInput
from core.formatting import american, percent, signed_percent, usd
from core.odds import check_american, check_probability
from core.verify import Grade

__all__ = ["bet_profit", "post_mortem"]

_CENT: Final = Decimal("0.01")
_HUNDRED: Final = Decimal(100)


def _check_grade(result: Grade) -> Grade:
    try:
        return Grade(result)
    except ValueError:
        valid = ", ".join(g.value for g in Grade)
        raise InvalidInput(f"grade must be one of {valid}, got {result!r}") from None


def _check_stake(stake_usd: float) -> Decimal:
    if isinstance(stake_usd, bool) or not isinstance(stake_usd, int | float):
        raise InvalidInput(f"stake_usd must be a number, got {stake_usd!r}")
    if not math.isfinite(stake_usd) or stake_usd < 0:
        raise InvalidInput(f"stake_usd must be finite and >= 0, got {stake_usd!r}")
    return Decimal(repr(float(stake_usd)))


def _check_odds(odds_american: int) -> int:
    # Whole numbers only: the exactness promised above rests on it, and books quote whole odds.
    if isinstance(odds_american, bool) or not isinstance(odds_american, Integral):
        raise InvalidInput(f"odds_american must be a whole number, got {odds_american!r}")
    check_american(float(odds_american), name="odds_american")
    return int(odds_american)


def _check_score(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 0:
        raise InvalidInput(f"{name} must be a whole number >= 0, got {value!r}")
    return int(value)


def _win_profit(stake: Decimal, odds: int) -> Decimal:
    """Profit of ``stake`` winning at American ``odds``, written exactly as the seed settles it."""
    if odds > 0:
        return stake * odds / _HUNDRED
    return stake / (Decimal(-odds) / _HUNDRED)


def _profit(result: Grade, stake: Decimal, odds: int) -> Decimal:
    if result is Grade.WON:
        profit = _win_profit(stake, odds)
    elif result is Grade.LOST:
        profit = -stake
    elif result is Grade.HALF_WON:
        profit = _win_profit(stake / 2, odds)
    elif result is Grade.HALF_LOST:
        profit = -stake / 2
    else:  # PUSH and VOID refund the stake
        profit = Decimal(0)
    return profit.quantize(_CENT, rounding=ROUND_HALF_EVEN)


def bet_profit(grade: Grade, stake_usd: float, odds_american: int) -> float:
    """Profit in USD (stake not included; negative for a loss) of a settled bet, rounded to cents.

    $11 won at −110 is $10.00; $10 won at +150 is $15.00; $10 lost is −$10.00; a push is $0.00.
    """
    return float(_profit(_check_grade(grade), _check_stake(stake_usd), _check_odds(odds_american)))


def _outcome(result: Grade, profit: Decimal, staked: bool) -> str:
    """What the bet did: "won $6.00", "lost $10.00", "push: stake returned"."""
    if result in (Grade.PUSH, Grade.VOID):
        return f"{result.value}: stake returned" if staked else result.value
    label = result.value.replace("_", " ")
    if not staked:
        return f"{label} (no stake)"
    return f"{label} {usd(float(abs(profit)))}"


def _score_line(home_team: str, away_team: str, home_score: int, away_score: int) -> str:
    """The final score with the winner named first: "Boston won 112-104"."""
    if home_score == away_score:
        return f"{home_team} and {away_team} tied {home_score}-{away_score}"
    if home_score > away_score:
        return f"{home_team} won {home_score}-{away_score}"
    return f"{away_team} won {away_score}-{home_score}"


def post_mortem(
    *,
    probability: float,
    odds_american: int,
    home_team: str,
    away_team: str,
    home_score: int,
    away_score: int,
    result: Grade,
    stake_usd: float,
    edge: float | None = None,
    clv: float | None = None,
    pick: str | None = None,
) -> str:
    """One line comparing what was expected with what happened.

    ``probability`` is the probability the bet was made on, ``odds_american`` the price taken,
    ``result`` its grade (``core.verify.grade``, or VOID decided by the caller); ``edge`` (EV
    per dollar) and ``clv`` (``core.verify.clv``) are shown when given, ``pick`` ("Boston
    −4.5") prefixes the line. For example::

        Expected 68% at +120 (edge 4.1%); Boston won 112-104: won $6.00; CLV +2.3%.
    """
    p = check_probability(probability, name="probability")
    odds = _check_odds(odds_american)
    stake = _check_stake(stake_usd)
    outcome = _check_grade(result)
    home = _check_score(home_score, "home_score")
    away = _check_score(away_score, "away_score")
    for name, team in (("home_team", home_team), ("away_team", away_team)):
        if not isinstance(team, str) or not team.strip():
            raise InvalidInput(f"{name} must be a non-empty string, got {team!r}")
    for name, value in (("edge", edge), ("clv", clv)):
        if value is not None and (isinstance(value, bool) or not math.isfinite(value)):
            raise InvalidInput(f"{name} must be a finite number or None, got {value!r}")

    if pick is not None and (not isinstance(pick, str) or not pick.strip()):
        raise InvalidInput(f"pick must be a non-empty string or None, got {pick!r}")

    line = f"{'Expected' if pick is None else f'{pick}: expected'} {percent(p, 0)} at {american(odds)}"
    if edge is not None:
        line += f" (edge {percent(edge)})"
    profit = _profit(outcome, stake, odds)
    line += f"; {_score_line(home_team, away_team, home, away)}: {_outcome(outcome, profit, stake > 0)}"
    if clv is not None:
        line += f"; CLV {signed_percent(clv)}"
    return line + "."
