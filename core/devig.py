"""Remove the bookmaker's margin from two- and three-outcome markets.

Input is decimal odds, either one market (shape ``(k,)``) or many markets (shape ``(n, k)``),
with k = 2 or 3 outcomes. Output is fair probabilities in the same order and shape, each in
(0, 1), each market summing to 1.

Writing π_i = 1/o_i and Π = Σπ_i (the booksum; overround = Π − 1):

    multiplicative   p_i = π_i / Π
    additive         p_i = π_i − (Π − 1)/k
    power            p_i = π_i^κ,                           κ chosen so Σp_i = 1
    odds_ratio       p_i = π_i / (c + π_i − c·π_i),         c chosen so Σp_i = 1
                     (every outcome's odds p/(1−p) are π/(1−π) divided by the same c)
    shin             p_i = (√(z² + 4(1−z)·π_i²/Π) − z) / (2(1−z)),   z chosen so Σp_i = 1
                     (Shin 1993: z is the share of money from insiders)

An underround market (Π < 1) goes through the same formulas; the solved parameter simply lands
on the other side of its neutral value (κ < 1, c < 1, z < 0). The solvers are bracketed secant
steps (Illinois) over all markets at once, about ten of them, so devigging thousands of markets
costs under a millisecond.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final, overload

import numpy as np
import numpy.typing as npt

from core.errors import InvalidInput
from core.odds import ArrayInput, FloatArray, check_decimal, format_number

__all__ = ["DEVIG_METHODS", "MAX_OVERROUND", "MIN_OVERROUND", "devig", "overround"]

DEVIG_METHODS: Final = ("multiplicative", "additive", "power", "odds_ratio", "shin")

# Beyond these bounds a "market" is almost surely a data error (stale or mistyped prices), and
# fair probabilities drawn from it would mislead rather than inform.
MAX_OVERROUND: Final = 0.25
MIN_OVERROUND: Final = -0.25

_MIN_OUTCOMES: Final = 2
_MAX_OUTCOMES: Final = 3
_MAX_STEPS: Final = 200
# Tolerance on the solved parameter (log κ, log c or z), absolute near 0 and relative beyond 1:
# far below anything that moves a probability in the 12th decimal, and about 50 halvings away.
_PARAMETER_TOLERANCE: Final = 1e-15
# |log κ| and |log c| stay below ~40 for any market inside the overround bounds; 2⁹ = 512 is
# ample headroom and keeps exp() of the bracket far from float64 overflow.
_MAX_BRACKET_DOUBLINGS: Final = 9
# A step whose probabilities sum to 1 within this is solved: a few float64 roundings of a sum.
_RESIDUAL_TOLERANCE: Final = 1e-15
# A solved market whose probabilities miss 1 by more than this did not converge.
_SUM_TOLERANCE: Final = 1e-9


def _format_prices(prices: FloatArray) -> str:
    return "[" + ", ".join(format_number(float(x)) for x in prices) + "]"


def _format_margin(margin: float) -> str:
    """Six significant digits, unless that would round an out-of-range margin onto a bound."""
    short = f"{margin:.6g}"
    if MIN_OVERROUND < float(short) < MAX_OVERROUND or abs(float(short)) > MAX_OVERROUND:
        return short
    return format_number(margin)


def _row_sums(values: FloatArray) -> FloatArray:
    """Sum over outcomes (axis 1) of a markets × outcomes array."""
    return np.asarray(values.sum(axis=1), dtype=np.float64)


def _market_odds(odds_decimal: ArrayInput) -> FloatArray:
    """Validated decimal odds as a 2-D array (markets × outcomes)."""
    odds = np.asarray(check_decimal(odds_decimal))
    if odds.ndim not in (1, 2):
        raise InvalidInput(
            f"odds_decimal must be one market (1-D) or markets × outcomes (2-D), got {odds.ndim}-D"
        )
    return np.atleast_2d(odds)


@overload
def overround(odds_decimal: Sequence[float]) -> float: ...
@overload
def overround(odds_decimal: Sequence[Sequence[float]]) -> FloatArray: ...
@overload
def overround(odds_decimal: npt.NDArray[Any]) -> float | FloatArray: ...
def overround(odds_decimal: ArrayInput) -> float | FloatArray:
    """Bookmaker margin Σ(1/o_i) − 1 as a fraction (0.03 is 3%); negative for an underround.

    One market (1-D) gives a float; markets × outcomes (2-D) gives one value per market.
    """
    odds = _market_odds(odds_decimal)
    if odds.shape[1] < _MIN_OUTCOMES:
        raise InvalidInput(f"odds_decimal must have at least 2 outcomes per market, got {odds.shape[1]}")
    margins = _row_sums(1.0 / odds) - 1.0
    if np.ndim(odds_decimal) == 1:
        return float(margins[0])
    return margins


def _solve_decreasing(
    residual: Callable[[FloatArray], FloatArray], lo: FloatArray, hi: FloatArray
) -> FloatArray:
    """Root of a decreasing residual for every market at once, inside its bracket.

    ``residual(lo) >= 0 >= residual(hi)`` must hold for each market. Each step takes the secant
    of the bracket's ends (the Illinois rule halves a stale end's residual, so one side cannot
    stick), falling back to the midpoint when the secant leaves the bracket: it keeps
    bisection's guarantee and converges in about ten vectorised steps instead of fifty.
    """
    lo, hi = lo.copy(), hi.copy()
    f_lo, f_hi = residual(lo), residual(hi)
    kept = np.zeros(lo.shape, dtype=np.int8)  # which end the last step kept: +1 lo, -1 hi
    done = np.zeros(lo.shape, dtype=bool)
    root = 0.5 * (lo + hi)
    for _ in range(_MAX_STEPS):
        span = f_lo - f_hi
        safe = np.where(span > 0.0, span, 1.0)
        secant = np.where(span > 0.0, lo + (hi - lo) * f_lo / safe, 0.5 * (lo + hi))
        inside = (secant > lo) & (secant < hi)
        root = np.where(done, root, np.where(inside, secant, 0.5 * (lo + hi)))
        value = residual(root)
        narrow = hi - lo <= _PARAMETER_TOLERANCE * np.maximum(1.0, np.abs(lo) + np.abs(hi))
        done |= (np.abs(value) <= _RESIDUAL_TOLERANCE) | narrow  # a solved market stays put
        if bool(np.all(done)):
            break
        positive = value > 0.0
        # Illinois: an end kept twice running has its residual halved, pulling the secant over.
        f_hi = np.where(positive & (kept == -1), 0.5 * f_hi, f_hi)
        f_lo = np.where(~positive & (kept == 1), 0.5 * f_lo, f_lo)
        lo, f_lo = np.where(positive, root, lo), np.where(positive, value, f_lo)
        hi, f_hi = np.where(positive, hi, root), np.where(positive, f_hi, value)
        kept = np.where(positive, -1, 1).astype(np.int8)
    return np.asarray(root, dtype=np.float64)


def _bracket_log_scale(
    residual: Callable[[FloatArray], FloatArray], n_markets: int
) -> tuple[FloatArray, FloatArray]:
    """Bracket the root in u = log(parameter) of a decreasing residual, widening as needed.

    Power and odds-ratio are neutral at parameter 1 (u = 0), so start from [-1, 1] and double
    the half-width of each side until the residual changes sign.
    """
    lo = np.full(n_markets, -1.0)
    hi = np.full(n_markets, 1.0)
    for _ in range(_MAX_BRACKET_DOUBLINGS):
        low_short = residual(lo) < 0.0
        high_short = residual(hi) > 0.0
        if not bool(np.any(low_short | high_short)):
            break
        lo = np.where(low_short, 2.0 * lo, lo)
        hi = np.where(high_short, 2.0 * hi, hi)
    return lo, hi


def _multiplicative(implied: FloatArray) -> FloatArray:
    return implied / _row_sums(implied)[:, None]


def _additive(implied: FloatArray) -> FloatArray:
    n_outcomes = int(implied.shape[1])
    return implied - (_row_sums(implied)[:, None] - 1.0) / n_outcomes


def _power(implied: FloatArray) -> FloatArray:
    log_implied = np.log(implied)

    def probabilities(log_kappa: FloatArray) -> FloatArray:
        return np.asarray(np.exp(np.exp(log_kappa)[:, None] * log_implied), dtype=np.float64)

    def residual(log_kappa: FloatArray) -> FloatArray:
        return _row_sums(probabilities(log_kappa)) - 1.0

    lo, hi = _bracket_log_scale(residual, implied.shape[0])
    return probabilities(_solve_decreasing(residual, lo, hi))


def _odds_ratio(implied: FloatArray) -> FloatArray:
    def probabilities(log_c: FloatArray) -> FloatArray:
        c = np.exp(log_c)[:, None]
        return implied / (c + implied - c * implied)

    def residual(log_c: FloatArray) -> FloatArray:
        return _row_sums(probabilities(log_c)) - 1.0

    lo, hi = _bracket_log_scale(residual, implied.shape[0])
    return probabilities(_solve_decreasing(residual, lo, hi))


def _shin(implied: FloatArray) -> FloatArray:
    share = implied**2 / _row_sums(implied)[:, None]  # π_i² / Π

    def probabilities(z_flat: FloatArray) -> FloatArray:
        z = z_flat[:, None]
        root = np.sqrt(z**2 + 4.0 * (1.0 - z) * share)
        # For z > 0 the textbook form (root − z)/(2(1 − z)) subtracts nearly equal numbers;
        # multiplying through by (root + z) gives the same value without the cancellation.
        # For z <= 0 the textbook form adds two non-negative terms and is already stable.
        stable_positive = 2.0 * share / (root + np.abs(z))
        textbook = (root - z) / (2.0 * (1.0 - z))
        return np.asarray(np.where(z > 0.0, stable_positive, textbook), dtype=np.float64)

    def residual(z: FloatArray) -> FloatArray:
        return _row_sums(probabilities(z)) - 1.0

    # Σp is sqrt(Π) at z = 0, above 1 at z = −1 (each p_i > 1/2 there, and k >= 2), and tends
    # to Σπ_i²/Π < 1 as z → 1, so [−1, 1) always brackets the root, for under- and overrounds.
    n_markets = implied.shape[0]
    lo = np.full(n_markets, -1.0)
    hi = np.full(n_markets, 1.0 - 1e-12)
    return probabilities(_solve_decreasing(residual, lo, hi))


_SOLVERS: Final[dict[str, Callable[[FloatArray], FloatArray]]] = {
    "multiplicative": _multiplicative,
    "additive": _additive,
    "power": _power,
    "odds_ratio": _odds_ratio,
    "shin": _shin,
}


def devig(odds_decimal: ArrayInput, method: str = "multiplicative") -> FloatArray:
    """Fair probabilities from decimal odds with the bookmaker's margin removed.

    ``odds_decimal`` is one market (k,) or n markets (n, k), k = 2 or 3, overround within
    [MIN_OVERROUND, MAX_OVERROUND]. Returns probabilities of the same shape, in the order given.
    """
    if method not in _SOLVERS:
        raise InvalidInput(f"method must be one of {', '.join(DEVIG_METHODS)}, got {method!r}")
    odds = _market_odds(odds_decimal)
    n_outcomes = odds.shape[1]
    if not _MIN_OUTCOMES <= n_outcomes <= _MAX_OUTCOMES:
        raise InvalidInput(f"odds_decimal must have 2 or 3 outcomes per market, got {n_outcomes}")
    implied = 1.0 / odds
    margins = _row_sums(implied) - 1.0
    out_of_range = (margins > MAX_OVERROUND) | (margins < MIN_OVERROUND)
    if bool(np.any(out_of_range)):
        row = int(np.argmax(out_of_range))
        where = f" (market {row})" if np.ndim(odds_decimal) == 2 else ""
        raise InvalidInput(
            f"overround must be between {MIN_OVERROUND:g} and {MAX_OVERROUND:g}, got "
            f"{_format_margin(float(margins[row]))} for odds_decimal={_format_prices(odds[row])}{where}"
        )
    fair = _SOLVERS[method](implied)
    # Rejects additive's negative longshots, probabilities that underflow to 0 or round to 1 on
    # absurd prices, and (as a guard) any solve that did not reach Σp = 1.
    invalid = ~((fair > 0.0) & (fair < 1.0)).all(axis=1) | (np.abs(_row_sums(fair) - 1.0) > _SUM_TOLERANCE)
    if bool(np.any(invalid)):
        row = int(np.argmax(invalid))
        where = f" (market {row})" if np.ndim(odds_decimal) == 2 else ""
        raise InvalidInput(
            f"devig method {method!r} gives a probability outside (0, 1) for "
            f"odds_decimal={_format_prices(odds[row])}{where}"
        )
    # The solvers stop at float64 resolution; one renormalisation makes each market sum to 1
    # to the last bit without moving any probability by more than ~1e-15.
    fair = fair / _row_sums(fair)[:, None]
    if np.ndim(odds_decimal) == 1:
        return fair.reshape(n_outcomes)
    return fair
