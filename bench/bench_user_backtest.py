"""A user model's backtest over 20,000 stored games: on loaded arrays, and with the load from the database.

The games, their results and their closing signals are stored first (synthetic values with the
real shapes: one h2h market per game, the five signals, the prior, the best prices); then the
backtest's own path is timed: read the signals into arrays (``Arrays.load``: the database picks
the numbers out of the JSON), combine and score. Quick mode uses 2,000 games.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from bench.harness import Figure
from core.importers.base import HistoricalGame
from core.quotes import FinalScore, GameInfo
from core.settings import load_settings
from core.sports import Market, Sport
from core.teams import CANONICAL
from core.user_models.backtest import backtest
from core.user_models.spec import Source
from store.db import unit_of_work
from store.history import save_history
from store.signals import save_signals
from tools.setup import prepare_database
from tools.user_model_backtest import Arrays, probabilities

START = datetime(2020, 1, 1, tzinfo=UTC)
WEIGHTS = [0.2, 0.3, 0.0, 0.4, 0.1]


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
        signals.append(
            {
                "game_id": info.id, "market": Market.H2H.value, "as_of": start - timedelta(hours=1),
                "prior_logit": float(np.log(p / (1 - p))),
                "signals": {s.value: float(rng.normal()) for s in Source},
                "point": None, "fair": {"home": p, "away": 1 - p},
                "prices": {"home": 0.96 / p, "away": 0.96 / (1 - p)},
            }
        )  # fmt: skip
    with unit_of_work(engine) as session:
        save_history(session=session, games=games)
        save_signals(session=session, rows=signals)
    engine.dispose()


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
    ]  # fmt: skip
