"""Odds conversions and the validation every other odds function leans on.

Inside the core prices are decimal odds (the total return per 1 unit staked, stake included);
American odds appear only at the edges and in the seed's settlement rule (``profit_american``).

Every function takes a number or a sequence/ndarray of numbers. A scalar in gives a ``float``
out; an array in gives a ``float64`` ndarray of the same shape. A bad value raises
``core.errors.InvalidInput`` whose message names the argument, the value and, for arrays, the
index of the first bad element.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from core.errors import InvalidInput

FloatArray = npt.NDArray[np.float64]
# What the vectorised functions accept besides a plain number.
ArrayInput = Sequence[float] | Sequence[Sequence[float]] | npt.NDArray[Any]

__all__ = [
    "ArrayInput",
    "FloatArray",
    "american_to_decimal",
    "check_american",
    "check_decimal",
    "check_probability",
    "decimal_to_american",
    "format_number",
    "implied_probability_decimal",
    "profit_american",
    "require",
    "to_float_array",
]


# --- helpers shared by the core's odds, devig, Kelly and scoring modules ----------------------


def format_number(value: float) -> str:
    """Render a number for an error message: ``50`` rather than ``50.0``, full precision otherwise."""
    if math.isfinite(value) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(float(value))


def to_float_array(value: object, name: str) -> FloatArray:
    """Convert a number or array of numbers to float64; anything else raises InvalidInput."""
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists, for one
        raise InvalidInput(f"{name} must be a number or an array of numbers, got {value!r}") from exc
    # Only real numbers: bools, strings, complex and object arrays are caller mistakes that
    # float() would otherwise quietly accept or mangle.
    if raw.dtype.kind not in "iuf":
        raise InvalidInput(f"{name} must be a number or an array of numbers, got {value!r}")
    return raw.astype(np.float64, copy=False)


def require(values: FloatArray, ok: npt.NDArray[np.bool_], name: str, requirement: str) -> None:
    """Raise InvalidInput naming the first element of ``values`` where ``ok`` is False."""
    if bool(np.all(ok)):
        return
    if values.ndim == 0:
        raise InvalidInput(f"{name} {requirement}, got {format_number(float(values))}")
    index = tuple(int(i) for i in np.argwhere(~ok)[0])
    where = str(index[0]) if len(index) == 1 else str(index)
    raise InvalidInput(f"{name} {requirement}, got {format_number(float(values[index]))} at index {where}")


def _finite(values: FloatArray, name: str, cause: str) -> FloatArray:
    """``values`` when every one is finite; a result past float range is an InvalidInput, not inf."""
    require(values, np.isfinite(values), name, f"must be a finite number ({cause})")
    return values


def _result(values: FloatArray) -> float | FloatArray:
    """A 0-d result goes back to the caller as a float, anything else as the array."""
    if values.ndim == 0:
        return float(values)
    return values


# --- validation -------------------------------------------------------------------------------


@overload
def check_american(odds_american: float, *, name: str = ...) -> float: ...
@overload
def check_american(odds_american: ArrayInput, *, name: str = ...) -> FloatArray: ...
def check_american(odds_american: float | ArrayInput, *, name: str = "odds_american") -> float | FloatArray:
    """Return American odds as float(s) if finite with |odds| >= 100, else raise InvalidInput."""
    values = to_float_array(odds_american, name)
    require(values, np.isfinite(values) & (np.abs(values) >= 100.0), name, "must be <= -100 or >= 100")
    return _result(values)


@overload
def check_decimal(odds_decimal: float, *, name: str = ...) -> float: ...
@overload
def check_decimal(odds_decimal: ArrayInput, *, name: str = ...) -> FloatArray: ...
def check_decimal(odds_decimal: float | ArrayInput, *, name: str = "odds_decimal") -> float | FloatArray:
    """Return decimal odds as float(s) if finite and > 1, else raise InvalidInput."""
    values = to_float_array(odds_decimal, name)
    require(values, np.isfinite(values) & (values > 1.0), name, "must be finite and > 1")
    return _result(values)


@overload
def check_probability(probability: float, *, name: str = ...) -> float: ...
@overload
def check_probability(probability: ArrayInput, *, name: str = ...) -> FloatArray: ...
def check_probability(probability: float | ArrayInput, *, name: str = "probability") -> float | FloatArray:
    """Return probabilities as float(s) if strictly inside (0, 1), else raise InvalidInput."""
    values = to_float_array(probability, name)
    # NaN fails both comparisons, so it is rejected without a separate isfinite test.
    require(values, (values > 0.0) & (values < 1.0), name, "must be strictly between 0 and 1")
    return _result(values)


# --- conversions ------------------------------------------------------------------------------


@overload
def american_to_decimal(odds_american: float) -> float: ...
@overload
def american_to_decimal(odds_american: ArrayInput) -> FloatArray: ...
def american_to_decimal(odds_american: float | ArrayInput) -> float | FloatArray:
    """Decimal odds from American odds: +x → 1 + x/100, −x → 1 + 100/x (+100 and −100 → 2.0)."""
    american = np.asarray(check_american(odds_american))
    decimal = np.where(american > 0, 1.0 + american / 100.0, 1.0 + 100.0 / np.abs(american))
    return _result(decimal.astype(np.float64))


@overload
def decimal_to_american(odds_decimal: float) -> float: ...
@overload
def decimal_to_american(odds_decimal: ArrayInput) -> FloatArray: ...
def decimal_to_american(odds_decimal: float | ArrayInput) -> float | FloatArray:
    """American odds from decimal odds: d >= 2 → +100·(d − 1), 1 < d < 2 → −100/(d − 1)."""
    decimal = np.asarray(check_decimal(odds_decimal))
    profit_per_unit = decimal - 1.0
    with np.errstate(over="ignore"):  # checked below, by name
        american = np.where(decimal >= 2.0, 100.0 * profit_per_unit, -100.0 / profit_per_unit)
    return _result(_finite(american.astype(np.float64), "odds_american", "odds_decimal is too large"))


@overload
def implied_probability_decimal(odds_decimal: float) -> float: ...
@overload
def implied_probability_decimal(odds_decimal: ArrayInput) -> FloatArray: ...
def implied_probability_decimal(odds_decimal: float | ArrayInput) -> float | FloatArray:
    """Implied probability 1/d of decimal odds d, vig included (use core.devig to remove it)."""
    decimal = np.asarray(check_decimal(odds_decimal))
    return _result((1.0 / decimal).astype(np.float64))


@overload
def profit_american(stake_usd: float, odds_american: float) -> float: ...
@overload
def profit_american(stake_usd: ArrayInput, odds_american: float | ArrayInput) -> FloatArray: ...
@overload
def profit_american(stake_usd: float | ArrayInput, odds_american: ArrayInput) -> FloatArray: ...
def profit_american(stake_usd: float | ArrayInput, odds_american: float | ArrayInput) -> float | FloatArray:
    """Profit in USD of a winning bet (stake not included), by the seed's settlement rule.

    Positive odds: stake × odds / 100. Negative odds: stake / (|odds| / 100).
    Stake and odds broadcast against each other like numpy arrays.
    """
    stake = to_float_array(stake_usd, "stake_usd")
    require(stake, np.isfinite(stake) & (stake >= 0.0), "stake_usd", "must be finite and >= 0")
    american = np.asarray(check_american(odds_american))
    try:
        stake, american = np.broadcast_arrays(stake, american)
    except ValueError as exc:
        raise InvalidInput(
            f"stake_usd and odds_american must have compatible shapes, got {stake.shape} and {american.shape}"
        ) from exc
    # The two branches are written exactly as the seed settles bets, so stakes reconcile to the cent.
    with np.errstate(over="ignore"):  # checked below, by name
        profit = np.where(american > 0, stake * american / 100.0, stake / (np.abs(american) / 100.0))
    return _result(_finite(profit.astype(np.float64), "profit", "stake_usd and odds_american are too large"))


def american_price(odds_decimal: float) -> int:
    """The whole-number American price a book quotes for a decimal price (1.9091 -> -110, 2.5 -> +150)."""
    return round(float(decimal_to_american(odds_decimal)))
