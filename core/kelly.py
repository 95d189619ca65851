"""Kelly staking on decimal odds.

The full-Kelly fraction of bankroll for a bet that wins with probability p at decimal odds d is
(p·d − 1)/(d − 1): the expected profit per unit staked divided by the profit per unit if it
wins. It is 0 when the expected value p·d − 1 is not positive, because the answer to a bad bet
is to stake nothing, never to stake a negative amount.

Both functions take numbers or arrays (broadcast together); a scalar call returns a float.
"""

from __future__ import annotations

from typing import overload

import numpy as np

from core.errors import InvalidInput
from core.odds import ArrayInput, FloatArray, check_decimal, check_probability, require, to_float_array

__all__ = ["kelly_fraction", "kelly_stake_usd"]


def _broadcast(**arrays: FloatArray) -> list[FloatArray]:
    try:
        return list(np.broadcast_arrays(*arrays.values()))
    except ValueError as exc:
        shapes = ", ".join(f"{name} {array.shape}" for name, array in arrays.items())
        raise InvalidInput(f"arguments must have compatible shapes, got {shapes}") from exc


def _full_kelly(probability: FloatArray, odds_decimal: FloatArray) -> FloatArray:
    expected_value = probability * odds_decimal - 1.0
    # Compare the expected value itself with 0 so that "stake nothing" coincides exactly with
    # "EV <= 0", whatever rounding the division would add.
    fraction = np.where(expected_value > 0.0, expected_value / (odds_decimal - 1.0), 0.0)
    return fraction.astype(np.float64)


@overload
def kelly_fraction(probability: float, odds_decimal: float) -> float: ...
@overload
def kelly_fraction(probability: ArrayInput, odds_decimal: float | ArrayInput) -> FloatArray: ...
@overload
def kelly_fraction(probability: float | ArrayInput, odds_decimal: ArrayInput) -> FloatArray: ...
def kelly_fraction(probability: float | ArrayInput, odds_decimal: float | ArrayInput) -> float | FloatArray:
    """Full-Kelly fraction of bankroll, max(0, (p·d − 1)/(d − 1)), in [0, 1).

    ``probability`` is the bettor's probability the bet wins, strictly in (0, 1);
    ``odds_decimal`` is the price taken, > 1.
    """
    p, d = _broadcast(
        probability=np.asarray(check_probability(probability)),
        odds_decimal=np.asarray(check_decimal(odds_decimal)),
    )
    fraction = _full_kelly(p, d)
    return float(fraction) if fraction.ndim == 0 else fraction


@overload
def kelly_stake_usd(
    probability: float, odds_decimal: float, bankroll_usd: float, fraction: float = ...
) -> float: ...
@overload
def kelly_stake_usd(
    probability: float | ArrayInput,
    odds_decimal: float | ArrayInput,
    bankroll_usd: float | ArrayInput,
    fraction: float = ...,
) -> float | FloatArray: ...
def kelly_stake_usd(
    probability: float | ArrayInput,
    odds_decimal: float | ArrayInput,
    bankroll_usd: float | ArrayInput,
    fraction: float = 0.5,
) -> float | FloatArray:
    """Stake in USD: ``fraction`` × full-Kelly fraction × ``bankroll_usd``.

    ``fraction`` scales full Kelly down (0.5, the default, is half Kelly) and must be in (0, 1];
    ``bankroll_usd`` must be finite and >= 0. No rounding to cents happens here.
    """
    bankroll = to_float_array(bankroll_usd, "bankroll_usd")
    require(bankroll, np.isfinite(bankroll) & (bankroll >= 0.0), "bankroll_usd", "must be finite and >= 0")
    scale = to_float_array(fraction, "fraction")
    if scale.ndim != 0:
        raise InvalidInput(f"fraction must be a single number, got an array of shape {scale.shape}")
    require(scale, (scale > 0.0) & (scale <= 1.0), "fraction", "must be in (0, 1]")
    p, d, bank = _broadcast(
        probability=np.asarray(check_probability(probability)),
        odds_decimal=np.asarray(check_decimal(odds_decimal)),
        bankroll_usd=bankroll,
    )
    stake = (float(scale) * _full_kelly(p, d) * bank).astype(np.float64)
    return float(stake) if stake.ndim == 0 else stake
