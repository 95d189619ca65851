"""A user model's backtest: flat one-unit bets on past games, and the numbers a record is judged by.

Input: one row per game, in the order the games were played, one column per side of the market
(first side first: home, away[, draw]; or over, under) — one market per call:

- ``probabilities``: the model's probability of each side (a row with any NaN: no prediction);
- ``outcomes``: each side's result as ``core.models.training.settle`` reads it — 1 won, 0 lost,
  the won share of the decided half for a quarter line — NaN when nothing was decided (a push,
  a void, a tie in a two-way sport);
- ``prices_decimal``: the best price of each side at prediction time, NaN where none was offered;
- ``outcome_weights`` (optional): the share of the stake decided, 0.5 when a quarter line half
  pushed; 1 by default, 0 where the outcome is NaN;
- ``closing_fair`` (optional): the devigged closing probability of each side, for CLV.

The rule. A game is bet when some side's probability is at least ``min_confidence`` and its
expected value at the price, p × d − 1, is above 0; of such sides the one with the largest
expected value is taken (ties: the likelier, then the first), one unit flat. A bet returns
w × (o × d − 1) units for outcome o and decided share w: d − 1 won, −1 lost, 0 pushed, the half
of each for a quarter line (``core.verify.settle_units``).

The numbers (``BacktestResult``):

- ``accuracy``: of the model's *calls* — games whose likeliest side reaches ``min_confidence``,
  bet or not — the share that side won (pushes out, halves counted half, as ``core.verify``
  counts), with its 95% Wilson interval (``core.confidence.wilson_interval``);
- ``win_rate``: the same share over the bets placed;
- ``roi``: mean units per bet (pushes are bets that return 0), with a 95% interval from the
  normal approximation of the mean of per-bet returns, ROI ± 1.96 × s / √n (s the sample
  standard deviation; None under two bets). Per-bet returns are bounded and independent across
  games, so the mean is close to normal from a few dozen bets;
- ``brier``: over every game predicted whose result was decided, (p − y)² of the first side in
  a two-way market and Σ over sides of (p − y)² in a three-way one, as the project's baselines
  quote them; a half-decided game counts with its weight;
- ``clv``: mean closing-line value of the bets with a closing probability (``core.verify.clv``);
- ``max_drawdown_units``: the largest fall of the bankroll from its running peak (the peak
  starts at 0, before the first bet), in units;
- ``sharpe``: mean ÷ sample standard deviation of per-bet returns, not annualised
  (``core.bankroll``'s definition);
- ``bankroll_units``: the cumulative units after each bet.

``slow_reference`` computes the same numbers with a plain per-game loop; a test holds the two
within 1e-9 of each other. ``multiple_testing_note`` says when a figure is the best of many
variants tried on the same games.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from core.confidence import wilson_interval
from core.errors import InvalidInput
from core.scoring import brier_binary_if_two_way_terms

__all__ = [
    "MAX_FAIR_VARIANTS",
    "Z_95",
    "BacktestResult",
    "backtest",
    "multiple_testing_note",
    "slow_reference",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Matrix = FloatArray | Sequence[Sequence[float]]

Z_95: Final = 1.959963984540054  # the standard normal's 97.5th percentile
# Past this many variants scored on the same window, the best one's figures owe something to luck.
MAX_FAIR_VARIANTS: Final = 5


@dataclass(frozen=True, slots=True, eq=False)
class BacktestResult:
    """A backtest's figures (see the module docstring); arrays are read-only."""

    games: int  # games with a prediction
    calls: int  # games whose likeliest side reached min_confidence
    bets: int
    won: float  # over the bets, halves counted half
    lost: float
    pushed: float
    accuracy: float | None
    accuracy_interval: tuple[float, float] | None
    win_rate: float | None
    roi: float | None
    roi_interval: tuple[float, float] | None
    brier: float | None
    clv: float | None
    max_drawdown_units: float
    sharpe: float | None
    bankroll_units: FloatArray  # cumulative units after each bet
    sides_taken: IntArray  # per game, the column bet on; −1: no bet


# --- inputs -----------------------------------------------------------------------------------


def _matrix(values: Matrix, name: str, shape: tuple[int, ...] | None = None) -> FloatArray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 2 or array.shape[1] < 2:
        raise InvalidInput(f"{name} must be games × sides (at least two), got shape {array.shape}")
    if shape is not None and array.shape != shape:
        raise InvalidInput(f"{name} must have the shape of probabilities {shape}, got {array.shape}")
    if bool(np.any(np.isinf(array))):
        raise InvalidInput(f"{name} must be finite or NaN")
    return array


def _within(array: FloatArray, name: str, low: float, high: float) -> None:
    finite = array[~np.isnan(array)]
    if bool(np.any((finite < low) | (finite > high))):
        raise InvalidInput(f"{name} must lie between {low} and {high} (NaN where unknown)")


@dataclass(frozen=True, slots=True)
class _Inputs:
    p: FloatArray
    o: FloatArray  # NaN outcomes set to 0, with weight 0
    w: FloatArray
    d: FloatArray
    close: FloatArray | None
    min_confidence: float


def _inputs(
    probabilities: Matrix,
    outcomes: Matrix,
    prices_decimal: Matrix,
    min_confidence: float,
    closing_fair: Matrix | None,
    outcome_weights: Matrix | None,
) -> _Inputs:
    p = _matrix(probabilities, "probabilities")
    o = _matrix(outcomes, "outcomes", p.shape)
    d = _matrix(prices_decimal, "prices_decimal", p.shape)
    _within(p, "probabilities", 0.0, 1.0)
    _within(o, "outcomes", 0.0, 1.0)
    if bool(np.any(d[~np.isnan(d)] <= 1.0)):
        raise InvalidInput("prices_decimal must be above 1 (NaN where no price was offered)")
    if outcome_weights is None:
        w = np.ones_like(o)
    else:
        w = _matrix(outcome_weights, "outcome_weights", p.shape)
        if bool(np.any(np.isnan(w))):
            raise InvalidInput("outcome_weights must not be NaN")
        _within(w, "outcome_weights", 0.0, 1.0)
    undecided = np.isnan(o)
    w = np.where(undecided, 0.0, w)
    o = np.where(undecided, 0.0, o)
    close = None
    if closing_fair is not None:
        close = _matrix(closing_fair, "closing_fair", p.shape)
        _within(close, "closing_fair", 0.0, 1.0)
    if not (math.isfinite(min_confidence) and 0.0 <= min_confidence <= 1.0):
        raise InvalidInput(f"min_confidence must lie between 0 and 1, got {min_confidence}")
    return _Inputs(p, o, w, d, close, float(min_confidence))


# --- the figures from per-bet numbers, shared by both paths --------------------------------------


def _rate(wins: float, decided: float) -> float | None:
    return wins / decided if decided > 0.0 else None


def _interval(wins: float, decided: float) -> tuple[float, float] | None:
    return wilson_interval(wins, decided) if decided > 0.0 else None


def _read_only(array: npt.NDArray[np.generic]) -> None:
    array.flags.writeable = False


# --- vectorised -----------------------------------------------------------------------------------


def backtest(
    probabilities: Matrix,
    outcomes: Matrix,
    prices_decimal: Matrix,
    *,
    min_confidence: float,
    closing_fair: Matrix | None = None,
    outcome_weights: Matrix | None = None,
) -> BacktestResult:
    """Flat one-unit bets where a side reaches ``min_confidence`` at a positive expected value."""
    x = _inputs(probabilities, outcomes, prices_decimal, min_confidence, closing_fair, outcome_weights)
    n, sides = x.p.shape
    predicted = ~np.any(np.isnan(x.p), axis=1)

    # The side bet: the largest expected value among eligible sides (ties: likelier, then first).
    with np.errstate(invalid="ignore"):
        ev = x.p * x.d - 1.0  # NaN where a price or the prediction is missing
        eligible = (x.p >= x.min_confidence) & (ev > 0.0) & predicted[:, None]
    taken = np.full(n, -1, dtype=np.int64)
    best_ev = np.full(n, -np.inf)
    best_p = np.full(n, -np.inf)
    for j in range(sides):
        better = eligible[:, j] & ((ev[:, j] > best_ev) | ((ev[:, j] == best_ev) & (x.p[:, j] > best_p)))
        taken = np.where(better, j, taken)
        best_ev = np.where(better, ev[:, j], best_ev)
        best_p = np.where(better, x.p[:, j], best_p)

    rows = np.flatnonzero(taken >= 0)
    cols = taken[rows]
    o, w, d = x.o[rows, cols], x.w[rows, cols], x.d[rows, cols]
    returns = w * (o * d - 1.0)
    bankroll = np.cumsum(returns)
    bets = int(rows.size)
    won = float(np.sum(w * o))
    lost = float(np.sum(w * (1.0 - o)))
    pushed = float(np.sum(1.0 - w))

    roi = float(np.mean(returns)) if bets else None
    roi_interval = sharpe = None
    if roi is not None and bets >= 2:
        sd = float(np.std(returns, ddof=1))
        half = Z_95 * sd / math.sqrt(bets)
        roi_interval = (roi - half, roi + half)
        sharpe = roi / sd if sd > 0.0 else None
    peak = np.maximum.accumulate(np.maximum(bankroll, 0.0))
    drawdown = float(np.max(peak - bankroll)) if bets else 0.0

    clv = None
    if x.close is not None and bets:
        closing = x.close[rows, cols]
        seen = ~np.isnan(closing)
        if bool(np.any(seen)):
            clv = float(np.mean(d[seen] * closing[seen] - 1.0))

    # Calls: the likeliest side (first on ties) of each predicted game, when it reaches the threshold.
    filled = np.where(predicted[:, None], x.p, -np.inf)
    likeliest = np.argmax(filled, axis=1)
    top = filled[np.arange(n), likeliest]
    called = np.flatnonzero(predicted & (top >= x.min_confidence))
    call_o, call_w = x.o[called, likeliest[called]], x.w[called, likeliest[called]]
    call_wins, call_decided = float(np.sum(call_w * call_o)), float(np.sum(call_w))

    # Brier over predicted games with a result, weighted by the decided share.
    # A decided game's outcomes are one-hot (a quarter line half-pushes, never half-wins and half-loses).
    game_w = np.where(predicted & np.all(x.w > 0.0, axis=1), x.w[:, 0], 0.0)
    scored = game_w > 0.0
    weight_total = float(np.sum(game_w))
    brier = None
    if weight_total:
        errors = brier_binary_if_two_way_terms(x.p[scored], np.argmax(x.o[scored], axis=1))
        brier = float(np.sum(game_w[scored] * errors) / weight_total)

    _read_only(bankroll)
    _read_only(taken)
    return BacktestResult(
        games=int(np.count_nonzero(predicted)),
        calls=int(called.size),
        bets=bets,
        won=won,
        lost=lost,
        pushed=pushed,
        accuracy=_rate(call_wins, call_decided),
        accuracy_interval=_interval(call_wins, call_decided),
        win_rate=_rate(won, won + lost),
        roi=roi,
        roi_interval=roi_interval,
        brier=brier,
        clv=clv,
        max_drawdown_units=drawdown,
        sharpe=sharpe,
        bankroll_units=bankroll,
        sides_taken=taken,
    )


# --- the reference ----------------------------------------------------------------------------------


def slow_reference(
    probabilities: Matrix,
    outcomes: Matrix,
    prices_decimal: Matrix,
    *,
    min_confidence: float,
    closing_fair: Matrix | None = None,
    outcome_weights: Matrix | None = None,
) -> BacktestResult:
    """``backtest`` as a plain loop over games, one number at a time: what the tests hold it to."""
    x = _inputs(probabilities, outcomes, prices_decimal, min_confidence, closing_fair, outcome_weights)
    n, sides = x.p.shape
    taken: list[int] = []
    returns: list[float] = []
    bankroll: list[float] = []
    clvs: list[float] = []
    won = lost = pushed = 0.0
    call_wins = call_decided = 0.0
    games = calls = 0
    brier_sum = brier_weight = 0.0
    total = 0.0
    for i in range(n):
        p = [float(v) for v in x.p[i]]
        if any(math.isnan(v) for v in p):
            taken.append(-1)
            continue
        games += 1
        o = [float(v) for v in x.o[i]]
        w = [float(v) for v in x.w[i]]
        d = [float(v) for v in x.d[i]]

        if all(v > 0.0 for v in w):
            error = float(brier_binary_if_two_way_terms([p], [o.index(max(o))])[0])
            brier_sum += w[0] * error
            brier_weight += w[0]

        likeliest = max(range(sides), key=lambda j: (p[j], -j))
        if p[likeliest] >= x.min_confidence:
            calls += 1
            call_wins += w[likeliest] * o[likeliest]
            call_decided += w[likeliest]

        side = -1
        for j in range(sides):
            if math.isnan(d[j]) or p[j] < x.min_confidence or p[j] * d[j] - 1.0 <= 0.0:
                continue
            ev = p[j] * d[j] - 1.0
            if side < 0 or ev > p[side] * d[side] - 1.0 or (ev == p[side] * d[side] - 1.0 and p[j] > p[side]):
                side = j
        taken.append(side)
        if side < 0:
            continue
        profit = w[side] * (o[side] * d[side] - 1.0)
        returns.append(profit)
        total += profit
        bankroll.append(total)
        won += w[side] * o[side]
        lost += w[side] * (1.0 - o[side])
        pushed += 1.0 - w[side]
        if x.close is not None and not math.isnan(float(x.close[i, side])):
            clvs.append(d[side] * float(x.close[i, side]) - 1.0)

    bets = len(returns)
    roi = sum(returns) / bets if bets else None
    roi_interval = sharpe = None
    if roi is not None and bets >= 2:
        sd = math.sqrt(sum((r - roi) ** 2 for r in returns) / (bets - 1))
        half = Z_95 * sd / math.sqrt(bets)
        roi_interval = (roi - half, roi + half)
        sharpe = roi / sd if sd > 0.0 else None
    peak = worst = 0.0
    for value in bankroll:
        peak = max(peak, value)
        worst = max(worst, peak - value)
    return BacktestResult(
        games=games,
        calls=calls,
        bets=bets,
        won=won,
        lost=lost,
        pushed=pushed,
        accuracy=_rate(call_wins, call_decided),
        accuracy_interval=_interval(call_wins, call_decided),
        win_rate=_rate(won, won + lost),
        roi=roi,
        roi_interval=roi_interval,
        brier=brier_sum / brier_weight if brier_weight else None,
        clv=sum(clvs) / len(clvs) if clvs else None,
        max_drawdown_units=worst,
        sharpe=sharpe,
        bankroll_units=np.array(bankroll, dtype=np.float64),
        sides_taken=np.array(taken, dtype=np.int64),
    )


def multiple_testing_note(variants_tried: int, window: str) -> str | None:
    """A warning when more than ``MAX_FAIR_VARIANTS`` variants were scored on the same games; else None.

    The best of many variants tried on one window looks better than it will do on the next
    games: some of its edge is the luck of that window, picked out by the choosing.
    """
    if isinstance(variants_tried, bool) or not isinstance(variants_tried, int) or variants_tried < 1:
        raise InvalidInput(f"variants_tried must be a whole number >= 1, got {variants_tried!r}")
    if variants_tried <= MAX_FAIR_VARIANTS:
        return None
    return (
        f"{variants_tried} variants were tried on {window}, so the best one's figures are optimistic: "
        "part of its edge is luck on these games that the choosing picked out. Check it on later games."
    )
