"""Backtesting a user's model on stored history, as of each game, with no look-ahead.

Each finished game's closing signals (``game_signals``, as of its last snapshot before the start)
are read in one query into arrays. The model's slope ``k`` is fit on the games of the year before
the window (``core.user_models.combine.fit_slope``), never on the games being scored; the window's
probabilities are the market prior moved by the user's weighted view (``combine``), and the
flat-stake backtest (``core.user_models.backtest``) gives the record with its intervals.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from datetime import datetime, timedelta

import numpy as np
from pydantic import BaseModel, Field

from core.errors import InvalidInput, NotFound
from core.models.training import settle
from core.sports import Market, Side, Sport, sides_for
from core.user_models.backtest import backtest, multiple_testing_note
from core.user_models.combine import combine, fit_slope
from core.user_models.spec import ModelSpec, Source
from store.signals import FinishedSignals, SignalRow, finished_signals
from store.user_models import count_variants, get_model
from tools.context import current
from tools.registry import tool
from tools.user_model_signals import backfill_closing

FIT_YEARS = timedelta(days=365)


class MarketBacktest(BaseModel):
    sport: str
    market: str
    games: int
    bets: int
    accuracy: float | None
    accuracy_interval: list[float] | None = Field(description="95% Wilson interval")
    win_rate: float | None
    roi: float | None = Field(description="units won per unit staked, flat one-unit bets")
    roi_interval: list[float] | None
    brier: float | None
    clv: float | None
    max_drawdown_units: float
    sharpe: float | None
    slope: float = Field(description="k: how far the weighted view moves the market, fit before the window")
    bankroll_units: list[float] = Field(description="cumulative units after each bet")


class BacktestView(BaseModel):
    model_id: int
    model: str
    start: datetime
    end: datetime
    markets: list[MarketBacktest]
    variants_tried: int = Field(description="different specs you have backtested on these same days")
    warning: str | None = Field(description="when the best of many variants owes something to luck")


class Arrays:
    """One sport and market of a window, as the backtest reads it."""

    def __init__(self, rows: Sequence[SignalRow | FinishedSignals], sport: Sport, market: Market) -> None:
        sides = sides_for(sport, market)
        n = len(rows)
        self.sides = sides
        self.prior_logit = np.array([r.prior_logit for r in rows], dtype=np.float64)
        self.signals = np.array(
            [[_num(r.signals.get(s.value)) for s in Source] for r in rows], dtype=np.float64
        ).reshape(n, len(Source))
        self.fair = np.array([[_num((r.fair or {}).get(s.value)) for s in sides] for r in rows]).reshape(
            n, len(sides)
        )
        self.prices = np.array([[_num((r.prices or {}).get(s.value)) for s in sides] for r in rows]).reshape(
            n, len(sides)
        )
        self.outcomes = np.full((n, len(sides)), np.nan)
        self.weights = np.zeros((n, len(sides)))
        self.first = np.full(n, np.nan)  # the first side's result, for fitting
        self.first_weight = np.zeros(n)
        for i, r in enumerate(rows):
            if r.home_score is None or r.away_score is None:
                continue
            if market is Market.H2H:
                winner = (
                    Side.HOME
                    if r.home_score > r.away_score
                    else Side.AWAY
                    if r.away_score > r.home_score
                    else Side.DRAW
                )
                if winner in sides:
                    self.outcomes[i] = [1.0 if s is winner else 0.0 for s in sides]
                    self.weights[i] = 1.0
                if winner is not Side.DRAW:
                    self.first[i], self.first_weight[i] = float(winner is Side.HOME), 1.0
                continue
            settled = settle(market, r.point, r.home_score, r.away_score)
            if settled is not None:
                o, w = settled
                self.outcomes[i] = [o, 1.0 - o]
                self.weights[i] = w
                self.first[i], self.first_weight[i] = o, w


def _listed(interval: tuple[float, float] | None) -> list[float] | None:
    return None if interval is None else [float(interval[0]), float(interval[1])]


def _num(value: object) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else math.nan


def probabilities(arrays: Arrays, weights: Sequence[float], k: float) -> np.ndarray:
    """Each game's probability of every side: the prior re-split by the moved first side."""
    p1 = combine(arrays.prior_logit, arrays.signals, weights, k)
    # calibration.with_first_side for every game at once: the first two sides re-split, a draw kept.
    out = np.where(np.isnan(arrays.fair), 0.0, arrays.fair).copy()
    pair = out[:, 0] + out[:, 1]
    out[:, 0], out[:, 1] = pair * p1, pair * (1.0 - p1)
    return out


def fitted_slope(arrays: Arrays, weights: Sequence[float]) -> float:
    """k on the fitting games whose first side was decided; 0 (the market) when there are none."""
    decided = ~np.isnan(arrays.first)
    if not decided.any():
        return 0.0
    return fit_slope(
        arrays.prior_logit[decided],
        arrays.signals[decided],
        weights,
        arrays.first[decided],
        arrays.first_weight[decided],
    )


def run_backtest(
    rows: Sequence[FinishedSignals], history: Sequence[FinishedSignals], spec: ModelSpec
) -> list[MarketBacktest]:
    weights = [spec.weights[s] for s in Source]
    out = []
    for sport in spec.sports:
        for market in spec.markets:
            scored = [r for r in rows if r.sport_key == sport.value and r.market == market.value]
            if not scored:
                continue
            past = [r for r in history if r.sport_key == sport.value and r.market == market.value]
            k = fitted_slope(Arrays(past, sport, market), weights) if past else 0.0
            window = Arrays(scored, sport, market)
            result = backtest(
                probabilities(window, weights, k),
                window.outcomes,
                window.prices,
                min_confidence=spec.min_confidence,
                closing_fair=window.fair,
                outcome_weights=window.weights,
            )
            out.append(
                MarketBacktest(
                    sport=sport.short, market=market.value, games=result.games, bets=result.bets,
                    accuracy=result.accuracy,
                    accuracy_interval=_listed(result.accuracy_interval),
                    win_rate=result.win_rate, roi=result.roi,
                    roi_interval=_listed(result.roi_interval),
                    brier=result.brier, clv=result.clv, max_drawdown_units=result.max_drawdown_units,
                    sharpe=result.sharpe, slope=k, bankroll_units=[float(x) for x in result.bankroll_units],
                )
            )  # fmt: skip
    return out


@tool(per_user=True, tags=("user_models",))
def backtest_user_model(model_id: int, days: int = 180) -> BacktestView:
    """How one of your models would have done on the games of the last days, as of each game.

    Flat one-unit bets where the model reaches its threshold at a positive expected value; its
    slope is fit on the year before the window, never on the games scored.

    Args:
        model_id: the model's number, as list_user_models gives it.
        days: the window, ending now (7 to 1,095).
    """
    if not 7 <= days <= 1095:
        raise InvalidInput(f"days must be between 7 and 1095, got {days}")
    ctx = current()
    now = ctx.now()
    start = now - timedelta(days=days)
    with ctx.unit_of_work() as session:
        row = get_model(session=session, user_id=ctx.user.id, model_id=model_id)
        if row is None:
            raise NotFound(f"you have no model {model_id}")
        spec = ModelSpec.from_json(row.spec)
        backfill_closing(session, before=now)
        sports, markets = [s.value for s in spec.sports], [m.value for m in spec.markets]
        rows = finished_signals(
            session=session, sport_keys=sports, markets=markets, start=start, end=now, known_before=now
        )
        history = finished_signals(
            session=session,
            sport_keys=sports,
            markets=markets,
            start=start - FIT_YEARS,
            end=start,
            known_before=start,
        )
        key = json.dumps(
            {k: v for k, v in spec.to_json().items() if k not in ("name", "status")}, sort_keys=True
        )
        variants = count_variants(
            session=session,
            user_id=ctx.user.id,
            start_day=start.date(),
            end_day=now.date(),
            spec_key=hashlib.sha256(key.encode()).hexdigest(),
            now=now,
        )
    return BacktestView(
        model_id=model_id,
        model=spec.name,
        start=start,
        end=now,
        markets=run_backtest(rows, history, spec),
        variants_tried=variants,
        warning=multiple_testing_note(variants, f"{start:%Y-%m-%d} to {now:%Y-%m-%d}"),
    )
