"""The analysis slate: 150 games x every registered model x 3 markets, with inverses, in one transaction.

Games and their odds come from the simulated book (five books, three markets each), stored
first; the figure is the analysis run itself, split into model time and write time.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta

from bench.harness import Figure
from core.models import REGISTRY
from core.quotes import GameInfo, OddsQuote
from core.settings import load_settings
from core.sports import Market, Side, Sport
from services.setup import prepare_database
from store.db import unit_of_work
from store.odds import save_quotes
from tools.context import bind, open_context
from tools.predictions import analyze

NOW = datetime(2025, 1, 15, 12, tzinfo=UTC)
BOOKS = ("pinnacle", "draftkings", "fanduel", "betmgm", "caesars")


def slate(games: int) -> list[OddsQuote]:
    quotes = []
    for i in range(games):
        game = GameInfo(
            f"bench{i:04d}", Sport.NBA, NOW + timedelta(hours=2 + i % 24), f"Home {i}", f"Away {i}"
        )
        for j, book in enumerate(BOOKS):
            # Every game and book priced a little differently, as a real slate is.
            shade = 0.01 * j + 0.0007 * i
            quotes += [
                OddsQuote(game, book, Market.H2H, Side.HOME, 1.80 + shade, NOW),
                OddsQuote(game, book, Market.H2H, Side.AWAY, 2.05 - shade, NOW),
                OddsQuote(game, book, Market.SPREADS, Side.HOME, 1.91 + shade, NOW, -3.5),
                OddsQuote(game, book, Market.SPREADS, Side.AWAY, 1.91 - shade, NOW, 3.5),
                OddsQuote(game, book, Market.TOTALS, Side.OVER, 1.90 + shade, NOW, 221.5),
                OddsQuote(game, book, Market.TOTALS, Side.UNDER, 1.92 - shade, NOW, 221.5),
            ]
    return quotes


def run(quick: bool = False) -> list[Figure]:
    games = 10 if quick else 150
    with tempfile.TemporaryDirectory() as home:
        settings = load_settings(_env_file=None, BENNY_HOME=home, BENNY_NOW=NOW.isoformat())
        engine = prepare_database(settings)
        try:
            with unit_of_work(engine) as session:
                save_quotes(session=session, quotes=slate(games))
            with bind(open_context(settings=settings, engine=engine)):
                summary = analyze(hours=48)
        finally:
            engine.dispose()
    models = len(REGISTRY)
    return [
        Figure(
            f"slate {games} games x {models} models x 3 markets (+inverses): total",
            summary.model_ms + summary.write_ms,
            "ms",
            target=250,
            note=f"{summary.predictions} rows",
        ),
        Figure("slate: model time", summary.model_ms, "ms"),
        Figure("slate: write time (one transaction)", summary.write_ms, "ms"),
    ]
