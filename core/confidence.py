"""Whom to trust: confidence multipliers and daily adjustments from a model's graded record.

Counts are won and lost as ``core.verify.tally`` counts them (a half result is half a decided
bet), so they may be fractional. "Graded" means won + lost.

Dynamic confidence (the seed's table), ``confidence_multiplier``
    ========================================  ===============================================
    record                                    multiplier for the original's confidence
    ========================================  ===============================================
    fewer than ``min_graded`` graded          1.0  (too few to judge)
    inverse significantly better              0.3
    accuracy a < 50%                          a / 0.5        (0 at 0%, → 1.0 just below 50%)
    50% <= a < 60%                            0.8 → 1.0      (linear)
    60% <= a < 70%                            1.0 → 1.2      (linear)
    a >= 70%                                  1.2            (cap)
    ========================================  ===============================================

    "Significantly better" means the inverse's Wilson lower bound lies above the original's
    Wilson upper bound (95% intervals by default). The table is continuous at 60% and 70%
    but not at 50%: just below, a/0.5 is almost 1.0; at 50% the next band starts at 0.8. That
    jump is the seed's and is kept as specified; a record right at a coin flip is trusted less
    than one a hair under it, and the Wilson test above catches the records that really are
    worse than a coin flip long before the a/0.5 band matters. The multiplier always lies in
    [0, 1.2].

Adjusted confidence, ``adjusted_confidence``
    probability × multiplier, clipped into [0.01, 0.99]: a record can make a pick more or less
    believable, but never certain or impossible (×1.2 would otherwise push 0.9 past 1, and
    ×0 make any pick impossible). Kelly stakes and log loss both need a true probability.

Daily adjustments, ``daily_adjustment`` (per model, sport and market), in this order
    1. fewer than ``min_graded`` graded: ORIGINAL × 1.0.
    2. AVOID when neither direction beats break-even at the prices taken: every ROI that was
       measured (something was staked) is <= 0, and at least one was measured. Accuracy alone
       says nothing about money: a 62% record of heavy favourites can still lose.
    3. INVERSE when the inverse is significantly better (the Wilson test above), unless the
       inverse was measured and did not make money (then following it is no better).
    4. otherwise ORIGINAL.
    The adjustment's multiplier is always ``confidence_multiplier`` of the original record
    (so 0.3 whenever the inverse is significantly better); the action says what to do with
    the picks, the multiplier how far to trust the original's stated probability.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from core.errors import InvalidInput
from core.formatting import percent
from core.odds import check_probability, format_number
from core.verify import accuracy, check_count, roi

__all__ = [
    "CONFIDENCE_CEILING",
    "CONFIDENCE_FLOOR",
    "DEFAULT_MIN_GRADED",
    "INVERSE_MULTIPLIER",
    "MAX_MULTIPLIER",
    "Action",
    "Adjustment",
    "adjusted_confidence",
    "confidence_multiplier",
    "daily_adjustment",
    "wilson_interval",
]

INVERSE_MULTIPLIER: Final = 0.3
MAX_MULTIPLIER: Final = 1.2
CONFIDENCE_FLOOR: Final = 0.01
CONFIDENCE_CEILING: Final = 0.99
DEFAULT_MIN_GRADED: Final = 30

# (lower accuracy, upper accuracy, multiplier at lower, multiplier at upper) of the linear bands.
_BANDS: Final = ((0.5, 0.6, 0.8, 1.0), (0.6, 0.7, 1.0, 1.2))


def wilson_interval(successes: float, n: float, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for a success rate: (centre ∓ half-width), within [0, 1].

    centre = (p̂ + z²/2n) / (1 + z²/n), half-width = z/(1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²).
    With n = 0 nothing is known: (0, 1).
    """
    trials = check_count(n, name="n")
    wins = check_count(successes, name="successes")
    if wins > trials:
        raise InvalidInput(f"successes must be <= n ({format_number(trials)}), got {format_number(wins)}")
    if not (math.isfinite(z) and z > 0.0):
        raise InvalidInput(f"z must be finite and > 0, got {format_number(z)}")
    if trials == 0.0:
        return 0.0, 1.0
    # The same formula multiplied through by n, which stays finite for any n > 0:
    # centre = (s + z²/2) / (n + z²), half-width = z/(n + z²) · √(s(n − s)/n + z²/4).
    z2 = z * z
    denominator = trials + z2
    centre = (wins + z2 / 2.0) / denominator
    half = z / denominator * math.sqrt(wins * (trials - wins) / trials + z2 / 4.0)
    # At s = 0 and s = n the bound is exactly 0 or 1; say so rather than trust the rounding.
    lower = 0.0 if wins == 0.0 else max(0.0, centre - half)
    upper = 1.0 if wins == trials else min(1.0, centre + half)
    return lower, upper


def _check_min_graded(min_graded: int) -> int:
    if isinstance(min_graded, bool) or not isinstance(min_graded, int) or min_graded < 1:
        raise InvalidInput(f"min_graded must be a whole number >= 1, got {min_graded!r}")
    return min_graded


def _inverse_significantly_better(won: float, lost: float, inverse_won: float, inverse_lost: float) -> bool:
    _, upper = wilson_interval(won, won + lost)
    inverse_lower, _ = wilson_interval(inverse_won, inverse_won + inverse_lost)
    return inverse_lower > upper


def confidence_multiplier(
    *,
    won: float,
    lost: float,
    inverse_won: float,
    inverse_lost: float,
    min_graded: int = DEFAULT_MIN_GRADED,
) -> tuple[float, str]:
    """The factor for a model's confidence from its record, and a short reason (see the table above)."""
    won = check_count(won, name="won")
    lost = check_count(lost, name="lost")
    inverse_won = check_count(inverse_won, name="inverse_won")
    inverse_lost = check_count(inverse_lost, name="inverse_lost")
    min_graded = _check_min_graded(min_graded)
    graded = won + lost
    if graded < min_graded:
        return 1.0, f"too few graded ({format_number(graded)} < {min_graded})"
    if _inverse_significantly_better(won, lost, inverse_won, inverse_lost):
        return INVERSE_MULTIPLIER, "inverse significantly better"
    rate = won / graded
    if rate < 0.5:
        return rate / 0.5, f"accuracy {percent(rate)} below 50%: scaled directly"
    for low, high, at_low, at_high in _BANDS:
        if rate < high:
            multiplier = at_low + (at_high - at_low) * (rate - low) / (high - low)
            return min(multiplier, at_high), f"accuracy {percent(rate)} in {low:.0%}-{high:.0%}"
    return MAX_MULTIPLIER, f"accuracy {percent(rate)} at or above 70%: capped"


def adjusted_confidence(probability: float, multiplier: float) -> float:
    """probability × multiplier, clipped into [CONFIDENCE_FLOOR, CONFIDENCE_CEILING] = [0.01, 0.99]."""
    p = check_probability(probability)
    if not (math.isfinite(multiplier) and multiplier >= 0.0):
        raise InvalidInput(f"multiplier must be finite and >= 0, got {format_number(multiplier)}")
    return min(max(p * multiplier, CONFIDENCE_FLOOR), CONFIDENCE_CEILING)


class Action(StrEnum):
    """What to do with a model's picks in one sport and market today."""

    ORIGINAL = "original"
    INVERSE = "inverse"
    AVOID = "avoid"


@dataclass(frozen=True, slots=True)
class Adjustment:
    """The daily verdict for one model, sport and market.

    ``n`` is the original's graded count (won + lost, so it may end in .5); ``multiplier`` is
    ``confidence_multiplier`` of the original record whatever the action.
    """

    action: Action
    multiplier: float
    n: float
    accuracy: float | None
    inverse_accuracy: float | None
    reason: str
    roi: float | None = None
    inverse_roi: float | None = None


def daily_adjustment(
    *,
    won: float,
    lost: float,
    inverse_won: float,
    inverse_lost: float,
    profit_units: float,
    staked_units: float,
    inverse_profit_units: float,
    inverse_staked_units: float,
    min_graded: int = DEFAULT_MIN_GRADED,
) -> Adjustment:
    """ORIGINAL, INVERSE or AVOID for a model's record, with its confidence multiplier (rules above)."""
    multiplier, why = confidence_multiplier(
        won=won, lost=lost, inverse_won=inverse_won, inverse_lost=inverse_lost, min_graded=min_graded
    )
    graded = won + lost
    rate = accuracy(won, lost)
    inverse_rate = accuracy(inverse_won, inverse_lost)
    own_roi = roi(profit_units, staked_units)
    inverse_roi = roi(inverse_profit_units, inverse_staked_units)

    def verdict(action: Action, reason: str) -> Adjustment:
        return Adjustment(
            action=action,
            multiplier=multiplier,
            n=graded,
            accuracy=rate,
            inverse_accuracy=inverse_rate,
            reason=reason,
            roi=own_roi,
            inverse_roi=inverse_roi,
        )

    if graded < min_graded:
        return verdict(Action.ORIGINAL, why)
    measured = [r for r in (own_roi, inverse_roi) if r is not None]
    if measured and all(r <= 0.0 for r in measured):
        return verdict(
            Action.AVOID, "neither the original nor the inverse beat break-even at the prices taken"
        )
    if _inverse_significantly_better(won, lost, inverse_won, inverse_lost):
        if inverse_roi is None or inverse_roi > 0.0:
            return verdict(Action.INVERSE, "inverse significantly better")
        return verdict(
            Action.ORIGINAL, "inverse significantly more accurate but lost money; original did not"
        )
    return verdict(Action.ORIGINAL, why)
