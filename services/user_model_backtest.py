"""Backtesting a user's model on stored history, as of each game, with no look-ahead.

Each finished game's closing signals (``game_signals``, as of its last snapshot before the start)
are read in one query into arrays. The model's slope ``k`` is fit on the games of the year before
the window (``core.user_models.combine.fit_slope``), never on the games being scored; the window's
probabilities are the market prior moved by the user's weighted view (``combine``), and the
flat-stake backtest (``core.user_models.backtest``) gives the record with its intervals.

The window's last days are a later window scored the same way (its slope fit on the year before
it): different specs are counted on the earlier days, where a user tunes, and the later days show
what the chosen variant does on games the choosing never saw.
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
from services.context import ToolContext
from services.user_model_signals import backfill_closing
from store.db import Session
from store.signals import SignalRow, finished_signal_table
from store.user_models import count_variants, get_model

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
    end: datetime = Field(description="the end of the window the variants are tuned on")
    markets: list[MarketBacktest]
    variants_tried: int = Field(description="different specs you have backtested on these same days")
    warning: str | None = Field(description="when the best of many variants owes something to luck")
    later_end: datetime = Field(description="the later window runs from end to here (now)")
    later: list[MarketBacktest] = Field(description="the same model on the later days, kept out of tuning")
    later_variants: int = Field(description="different specs that have been shown the later days")


class Arrays:
    """One sport and market's games as the backtest reads them: numbers only, one row per game.

    Built from ``finished_signal_table``'s rows (prior_logit, point, home and away score, the
    sources' signals, the sides' fair probabilities, the sides' prices), or from stored signal rows
    with ``of_rows``; missing numbers are NaN.
    """

    def __init__(self, table: Sequence[Sequence[float | None]], sport: Sport, market: Market) -> None:
        sides = sides_for(sport, market)
        width = 4 + len(Source) + 2 * len(sides)
        data = np.array(table, dtype=np.float64).reshape(len(table), width)
        n, m = len(data), len(sides)
        self.sides = sides
        self.prior_logit = data[:, 0]
        points, home, away = data[:, 1], data[:, 2], data[:, 3]
        self.signals = data[:, 4 : 4 + len(Source)]
        self.fair = data[:, 4 + len(Source) : 4 + len(Source) + m]
        self.prices = data[:, 4 + len(Source) + m :]
        self.outcomes = np.full((n, m), np.nan)
        self.weights = np.zeros((n, m))
        self.first = np.full(n, np.nan)  # the first side's result, for fitting
        self.first_weight = np.zeros(n)
        played = ~(np.isnan(home) | np.isnan(away))
        if market is Market.H2H:
            winner = np.where(home > away, 0, np.where(away > home, 1, 2))  # home, away, draw
            for j, side in enumerate(sides):
                code = {Side.HOME: 0, Side.AWAY: 1, Side.DRAW: 2}[side]
                self.outcomes[played, j] = (winner[played] == code).astype(np.float64)
            # A draw in a two-way market settles nothing.
            counted = played & ((winner < 2) | (len(sides) == 3))
            self.outcomes[~counted] = np.nan
            self.weights[counted] = 1.0
            decided = played & (winner < 2)
            self.first[decided] = (winner[decided] == 0).astype(np.float64)
            self.first_weight[decided] = 1.0
            return
        for i in np.flatnonzero(played):
            point = None if np.isnan(points[i]) else float(points[i])
            settled = settle(market, point, int(home[i]), int(away[i]))
            if settled is not None:
                o, w = settled
                self.outcomes[i] = [o, 1.0 - o]
                self.weights[i] = w
                self.first[i], self.first_weight[i] = o, w

    @classmethod
    def of_rows(cls, rows: Sequence[SignalRow], sport: Sport, market: Market) -> Arrays:
        """The arrays of stored signal rows (upcoming games have no scores: their outcomes stay NaN)."""
        sides = [s.value for s in sides_for(sport, market)]
        return cls(
            [
                (
                    r.prior_logit, r.point, r.home_score, r.away_score,
                    *(_num(r.signals.get(s.value)) for s in Source),
                    *(_num((r.fair or {}).get(side)) for side in sides),
                    *(_num((r.prices or {}).get(side)) for side in sides),
                )
                for r in rows
            ],
            sport,
            market,
        )  # fmt: skip

    @classmethod
    def load(
        cls,
        session: Session,
        sport: Sport,
        market: Market,
        start: datetime,
        end: datetime,
        known_before: datetime,
    ) -> Arrays:
        """The finished games of [start, end) whose results were known before ``known_before``."""
        table = finished_signal_table(
            session=session, sport_key=sport.value, market=market.value,
            sources=[s.value for s in Source], sides=[s.value for s in sides_for(sport, market)],
            start=start, end=end, known_before=known_before,
        )  # fmt: skip
        return cls(table, sport, market)

    def __len__(self) -> int:
        return len(self.prior_logit)


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


def score(window: Arrays, history: Arrays, spec: ModelSpec, sport: Sport, market: Market) -> MarketBacktest:
    """The spec's record on the window's games, its slope fit on the history's."""
    weights = [spec.weights[s] for s in Source]
    k = fitted_slope(history, weights) if len(history) else 0.0
    result = backtest(
        probabilities(window, weights, k),
        window.outcomes,
        window.prices,
        min_confidence=spec.min_confidence,
        closing_fair=window.fair,
        outcome_weights=window.weights,
    )
    return MarketBacktest(
        sport=sport.short, market=market.value, games=result.games, bets=result.bets,
        accuracy=result.accuracy, accuracy_interval=_listed(result.accuracy_interval),
        win_rate=result.win_rate, roi=result.roi, roi_interval=_listed(result.roi_interval),
        brier=result.brier, clv=result.clv, max_drawdown_units=result.max_drawdown_units,
        sharpe=result.sharpe, slope=k, bankroll_units=[float(x) for x in result.bankroll_units],
    )  # fmt: skip


def later_summary(later: Sequence[MarketBacktest], start: datetime, end: datetime) -> str:
    """One sentence on the later window's record, for the many-variants warning."""
    bets = sum(m.bets for m in later)
    head = f"On the later days {start:%Y-%m-%d} to {end:%Y-%m-%d}, which the variants were not tuned on,"
    if not bets:
        return f"{head} it placed no bets."
    units = sum(m.bankroll_units[-1] for m in later if m.bankroll_units)
    return f"{head} it won {units:+.1f} units on {bets} bets (ROI {100 * units / bets:+.1f}%)."


def run_window(session: Session, spec: ModelSpec, start: datetime, end: datetime) -> list[MarketBacktest]:
    """The spec's record on the finished games of [start, end), each slope fit on the year before start."""
    out = []
    for sport in spec.sports:
        for market in spec.markets:
            window = Arrays.load(session, sport, market, start, end, known_before=end)
            if not len(window):
                continue
            history = Arrays.load(session, sport, market, start - FIT_YEARS, start, known_before=start)
            out.append(score(window, history, spec, sport, market))
    return out


def backtest_model(ctx: ToolContext, *, model_id: int, days: int, later_days: int | None) -> BacktestView:
    """The user's model ``model_id`` over the last ``days``, its last ``later_days`` kept apart."""
    if not 7 <= days <= 1095:
        raise InvalidInput(f"days must be between 7 and 1095, got {days}")
    later_days = days // 4 if later_days is None else later_days
    if not 0 <= later_days <= days - 7:
        raise InvalidInput(f"later_days must be between 0 and {days - 7} (days - 7), got {later_days}")
    now = ctx.now()
    start, split = now - timedelta(days=days), now - timedelta(days=later_days)
    with ctx.unit_of_work() as session:
        row = get_model(session=session, user_id=ctx.user.id, model_id=model_id)
        if row is None:
            raise NotFound(f"you have no model {model_id}")
        spec = ModelSpec.from_json(row.spec)
        backfill_closing(session, before=now)
        tuned = run_window(session, spec, start, split)
        later = run_window(session, spec, split, now) if later_days else []
        key = json.dumps(
            {k: v for k, v in spec.to_json().items() if k not in ("name", "status")}, sort_keys=True
        )
        spec_key = hashlib.sha256(key.encode()).hexdigest()

        def tried(first: datetime, last: datetime) -> int:
            """Record this spec on the days [first, last]; how many specs were tried on them."""
            return count_variants(
                session=session, user_id=ctx.user.id, start_day=first.date(), end_day=last.date(),
                spec_key=spec_key, now=now,
            )  # fmt: skip

        variants = tried(start, split)
        later_variants = tried(split, now) if later_days else 0
    warning = multiple_testing_note(variants, f"{start:%Y-%m-%d} to {split:%Y-%m-%d}")
    if warning and later_days:
        warning += " " + later_summary(later, split, now)
        if later_variants > 1:
            warning += (
                f" {later_variants} variants have been shown those later days too, so keep the next "
                "choice off them: only the first look at a window is untouched."
            )
    return BacktestView(
        model_id=model_id,
        model=spec.name,
        start=start,
        end=split,
        markets=tuned,
        variants_tried=variants,
        warning=warning,
        later_end=now,
        later=later,
        later_variants=later_variants,
    )
