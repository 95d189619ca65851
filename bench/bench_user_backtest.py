"""A user model's backtest over 20,000 stored games: on loaded arrays, with the load, and against peers.

The games, their results and their closing signals are stored first (synthetic values with the
real shapes: one h2h market per game, the five signals, the prior, the consensus fair
probabilities, and the best prices, which beat the fair odds on three sides in ten);
then the backtest's own path is timed: read the signals into arrays (``Arrays.load``: the
database picks the numbers out of the JSON), combine and score. Quick mode uses 2,000 games.

Two peers score the same loaded games:

- sports-betting's ``sportsbet.evaluation.backtest`` of an ``OddsComparisonBettor`` (alpha 0:
  it bets a side when the consensus probability, the bookmakers' average odds with their margin
  taken out, times the best price exceeds 1, the larger expected value of the two). Its X, Y and
  O frames are built from the loaded arrays before the clock starts: X holds the average odds
  (``market_average``, the fair odds with a 4.5% margin), O the best prices
  (``market_maximum``), Y the results, indexed by start time. Only its ``backtest`` call is
  timed, once in one process and once with its default ``n_jobs=-1`` (worker processes), the
  faster counting; that call refits the bettor on each time-series fold (for this bettor a fit
  is validation, no training) and bets on the fold's test games. Its default cross-validation
  keeps the first sixth of the games for training, so it is given two folds that test every
  game but the first two; ours is timed on the same games with the same rule (the consensus as
  the model, ``min_confidence`` 0), and the two must place the same bets for the same units.
- a plain Python loop (``core.user_models.backtest.slow_reference``) doing the same flat-stake
  backtest of the user model's probabilities, one game at a time; ``backtest`` is timed on the
  same inputs, and the two must agree.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from bench.harness import Figure, median_seconds, peer_version
from core.devig import devig
from core.importers.base import HistoricalGame
from core.quotes import FinalScore, GameInfo
from core.settings import load_settings
from core.sports import Market, Sport
from core.teams import CANONICAL
from core.user_models.backtest import BacktestResult, backtest, slow_reference
from core.user_models.spec import Source
from services.setup import prepare_database
from services.user_model_backtest import Arrays, probabilities
from store.db import unit_of_work
from store.history import save_history
from store.signals import save_signals

START = datetime(2020, 1, 1, tzinfo=UTC)
WEIGHTS = [0.2, 0.3, 0.0, 0.4, 0.1]
MARGIN = 0.045  # the bookmakers' average margin over the fair odds, for the peer's consensus


def _store(url: str, home: str, n: int) -> None:
    settings = load_settings(_env_file=None, BENNY_HOME=home, DATABASE_URL=url)
    engine = prepare_database(settings)
    teams = sorted(CANONICAL[Sport.NBA])
    rng = np.random.default_rng(0)
    games, signals = [], []
    for i in range(n):
        start = START + timedelta(hours=3 * i)
        info = GameInfo(f"bench{i:06d}", Sport.NBA, start, teams[i % 30], teams[(i + 7) % 30])
        home_score, away_score = int(rng.integers(90, 130)), int(rng.integers(90, 130))
        away_score += away_score == home_score
        score = FinalScore(info, home_score, away_score, start + timedelta(hours=3))
        games.append(HistoricalGame(info, (), score, "bench", None))
        p = float(rng.uniform(0.2, 0.8))
        best = 1.0 + rng.uniform(-0.07, 0.03, 2)  # the best of five books against the fair odds
        signals.append(
            {
                "game_id": info.id, "market": Market.H2H.value, "as_of": start - timedelta(hours=1),
                "prior_logit": float(np.log(p / (1 - p))),
                "signals": {s.value: float(rng.normal()) for s in Source},
                "point": None, "fair": {"home": p, "away": 1 - p},
                "prices": {"home": best[0] / p, "away": best[1] / (1 - p)},
            }
        )  # fmt: skip
    with unit_of_work(engine) as session:
        save_history(session=session, games=games)
        save_signals(session=session, rows=signals)
    engine.dispose()


def _frames(arrays: Arrays, average: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The peer's X (the average odds), Y (the results) and O (the best prices), one row per game."""
    index = pd.DatetimeIndex([START + timedelta(hours=3 * i) for i in range(len(arrays))], name="date")
    markets = [f"{side.value}_win" for side in arrays.sides]  # home_win, away_win
    x = pd.DataFrame(average, index=index, columns=[f"market_average__{m}__preplay__0min" for m in markets])
    y = pd.DataFrame(arrays.outcomes, index=index, columns=[f"{m}__postplay__0min" for m in markets])
    o = pd.DataFrame(
        arrays.prices, index=index, columns=[f"market_maximum__{m}__preplay__0min" for m in markets]
    )
    return x, y, o


def _against_sports_betting(arrays: Arrays, quick: bool) -> Figure:
    peer = peer_version("sports-betting")
    from sklearn.model_selection import TimeSeriesSplit
    from sportsbet.evaluation import OddsComparisonBettor
    from sportsbet.evaluation import backtest as peer_backtest

    average = 1.0 / (arrays.fair * (1.0 + MARGIN))
    x, y, o = _frames(arrays, average)
    n = len(arrays)
    folds = TimeSeriesSplit(n_splits=2, test_size=(n - 2) // 2)
    tested = np.concatenate([test for _, test in folds.split(x)])
    bettor = OddsComparisonBettor(alpha=0.0, init_cash=10_000.0, stake=1.0)

    def theirs(jobs: int = 1) -> pd.DataFrame:
        return peer_backtest(bettor, x, y, o, cv=folds, n_jobs=jobs)

    average_t, outcomes_t, prices_t = average[tested], arrays.outcomes[tested], arrays.prices[tested]

    def ours() -> BacktestResult:
        consensus = devig(average_t, method="multiplicative")
        return backtest(consensus, outcomes_t, prices_t, min_confidence=0.0)

    mine, results = ours(), theirs()
    peer_bets = int(results["Number of bets"].sum())
    peer_units = float((results["Final cash"] - 10_000.0).sum())
    units = float(mine.bankroll_units[-1]) if mine.bets else 0.0
    agreement = (
        f"same {mine.bets:,} bets for the same {units:+,.2f} units"
        if mine.bets == peer_bets and abs(units - peer_units) < 1e-6
        else f"DIFFERENT bets: ours {mine.bets:,} for {units:+,.2f} units, "
        f"theirs {peer_bets:,} for {peer_units:+,.2f}: not like for like"
    )
    ours_s = median_seconds(ours, repeat=3 if quick else 15)
    # Its default n_jobs=-1 sends the folds to worker processes (started in the warm-up, not
    # timed); on small folds one process can be faster. The faster of the two is its figure.
    # The smoke test keeps to one process rather than start workers.
    timed: dict[int, float] = {}
    for jobs in [1] if quick else [1, -1]:
        timed[jobs] = median_seconds(partial(theirs, jobs), repeat=1 if quick else 5)
    jobs = min(timed, key=timed.__getitem__)
    theirs_s = timed[jobs]
    other = "".join(f", n_jobs={j} took {s * 1e3:.1f} ms" for j, s in timed.items() if j != jobs)
    return Figure(
        f"odds-comparison backtest over {tested.size:,} of the {n:,} games",
        ours_s * 1e3,
        "ms",
        note=f"{agreement}; the peer refits its bettor on each of its 2 time-series folds "
        f"(validation only, no training); only its backtest call is timed, n_jobs={jobs}{other}",
        peer_name=f"{peer} OddsComparisonBettor",
        peer_value=theirs_s * 1e3,
        ratio_target=10.0,
    )


def _against_a_loop(arrays: Arrays, quick: bool) -> Figure:
    probs = probabilities(arrays, WEIGHTS, 0.15)
    inputs = (probs, arrays.outcomes, arrays.prices)

    def ours() -> BacktestResult:
        return backtest(*inputs, min_confidence=0.55, closing_fair=arrays.fair)

    def theirs() -> BacktestResult:
        return slow_reference(*inputs, min_confidence=0.55, closing_fair=arrays.fair)

    mine, loop = ours(), theirs()
    same = mine.bets == loop.bets and (
        mine.roi == loop.roi
        or (mine.roi is not None and loop.roi is not None and abs(mine.roi - loop.roi) < 1e-9)
    )
    agreement = (
        f"same {mine.bets:,} bets and ROI"
        if same
        else f"DIFFERENT: ours {mine.bets} bets, the loop {loop.bets}"
    )
    ours_s = median_seconds(ours, repeat=3 if quick else 15)
    loop_s = median_seconds(theirs, repeat=1 if quick else 3)
    return Figure(
        f"user-model flat-stake backtest over {len(arrays):,} games, scoring only",
        ours_s * 1e3,
        "ms",
        note=f"{agreement}; the same probabilities, one game at a time in the loop",
        peer_name="plain Python loop",
        peer_value=loop_s * 1e3,
    )


def run(quick: bool = False) -> list[Figure]:
    n = 2_000 if quick else 20_000
    with tempfile.TemporaryDirectory() as home:
        url = f"sqlite:///{Path(home) / 'bt.db'}"
        _store(url, home, n)
        settings = load_settings(_env_file=None, BENNY_HOME=home, DATABASE_URL=url)
        engine = prepare_database(settings)
        end = START + timedelta(hours=3 * n + 1)
        loaded, arrays_only = [], []
        for _ in range(3 if quick else 7):
            started = time.perf_counter()
            with unit_of_work(engine) as session:
                arrays = Arrays.load(
                    session, Sport.NBA, Market.H2H, START, end, known_before=end + timedelta(days=1)
                )
            middle = time.perf_counter()
            probs = probabilities(arrays, WEIGHTS, 0.15)
            result = backtest(
                probs, arrays.outcomes, arrays.prices, min_confidence=0.55, closing_fair=arrays.fair
            )
            finished = time.perf_counter()
            loaded.append((finished - started) * 1000)
            arrays_only.append((finished - middle) * 1000)
        engine.dispose()
    return [
        Figure(f"user-model backtest over {n:,} games, on loaded arrays", statistics.median(arrays_only),
               "ms", 30.0, note=f"{result.bets} bets"),
        Figure(f"user-model backtest over {n:,} games, including the load", statistics.median(loaded), "ms",
               250.0, note=f"{len(arrays)} games read"),
        _against_sports_betting(arrays, quick),
        _against_a_loop(arrays, quick),
    ]  # fmt: skip
