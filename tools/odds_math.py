"""The public odds math: American odds in, converted to decimal at this edge, core math inside.

Each function takes a number or a list of numbers (same-length lists work element by element;
a number pairs with every element) and returns the same shape.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from core import devig as core_devig
from core import kelly as core_kelly
from core import odds as core_odds
from core.errors import InvalidInput
from tools.registry import tool

DevigMethod = Literal["multiplicative", "additive", "power", "shin", "odds_ratio"]
Number = float | list[float]


def _out(value: Any, ndigits: int | None = None) -> Number:
    """A float for a scalar result, a list of floats for an array result."""
    array = np.asarray(value, dtype=float)
    if ndigits is not None:
        array = np.round(array, ndigits)
    return float(array) if array.ndim == 0 else [float(v) for v in array]


@tool(tags=("math",))
def american_to_decimal(odds: Number) -> Number:
    """Convert American odds to decimal odds (+150 -> 2.5, -110 -> 1.9091).

    Args:
        odds: American odds, <= -100 or >= +100.
    """
    return _out(core_odds.american_to_decimal(odds))


@tool(tags=("math",))
def decimal_to_american(odds: Number) -> Number:
    """Convert decimal odds to American odds (2.5 -> +150, 1.9091 -> -110).

    Args:
        odds: decimal odds, greater than 1.
    """
    return _out(core_odds.decimal_to_american(odds))


@tool(tags=("math",))
def implied_probability(odds_american: Number) -> Number:
    """The probability a price implies, margin included (-110 -> 0.5238).

    Args:
        odds_american: American odds, <= -100 or >= +100.
    """
    return _out(core_odds.implied_probability_decimal(core_odds.american_to_decimal(odds_american)))


@tool(tags=("math",))
def profit(stake_usd: Number, odds_american: Number) -> Number:
    """Profit in dollars of a winning bet at American odds.

    Plus odds pay stake x odds / 100; minus odds pay stake / (|odds| / 100).

    Args:
        stake_usd: the amount staked in dollars, zero or more.
        odds_american: American odds, <= -100 or >= +100.
    """
    return _out(core_odds.profit_american(stake_usd, odds_american))


@tool(tags=("math",))
def devig(odds_american: list[float], method: DevigMethod = "multiplicative") -> list[float]:
    """Fair probabilities of a two- or three-outcome market with the bookmaker's margin removed.

    Returns one probability per price, in the order given, summing to 1.

    Args:
        odds_american: the American prices of every outcome of one market (two or three).
        method: how the margin is removed: multiplicative, additive, power, shin or odds_ratio.
    """
    if isinstance(odds_american, (str, bytes)) or not hasattr(odds_american, "__len__"):
        raise InvalidInput(f"odds_american must be a list of two or three prices, got {odds_american!r}")
    decimal = core_odds.american_to_decimal(list(odds_american))
    return [float(p) for p in core_devig.devig(decimal, method=method)]


@tool(tags=("math",))
def kelly_stake(
    probability: Number, odds_american: Number, bankroll_usd: Number, fraction: float = 0.5
) -> Number:
    """The fractional-Kelly stake in dollars (rounded to the cent); 0 when the bet has no edge.

    Args:
        probability: your probability that the bet wins, strictly between 0 and 1.
        odds_american: the American price offered, <= -100 or >= +100.
        bankroll_usd: the bankroll the stake is a share of, in dollars.
        fraction: the share of full Kelly to stake; 0.5 is half-Kelly.
    """
    decimal = core_odds.american_to_decimal(odds_american)
    stake = core_kelly.kelly_stake_usd(probability, decimal, bankroll_usd, fraction=fraction)
    return _out(stake, ndigits=2)
