"""A small seeded NBA feed for the walking skeleton and demos.

It quotes a handful of games a night around ``as_of`` at five books (one sharp, low-margin
book among them) for h2h, spreads and totals. Prices depend only on the seed, the game and the
hour of ``as_of``, so seeding twice in the same hour adds nothing and a later hour adds a new
snapshot of every line (line history). The full five-league simulated sportsbook replaces
this feed as the offline default.
"""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, datetime, timedelta

import numpy as np

from core.quotes import GameInfo, OddsQuote
from core.sports import Market, Side, Sport

NBA_TEAMS = (
    "Atlanta Hawks", "Boston Celtics", "Brooklyn Nets", "Charlotte Hornets", "Chicago Bulls",
    "Cleveland Cavaliers", "Dallas Mavericks", "Denver Nuggets", "Detroit Pistons",
    "Golden State Warriors", "Houston Rockets", "Indiana Pacers", "Los Angeles Clippers",
    "Los Angeles Lakers", "Memphis Grizzlies", "Miami Heat", "Milwaukee Bucks",
    "Minnesota Timberwolves", "New Orleans Pelicans", "New York Knicks", "Oklahoma City Thunder",
    "Orlando Magic", "Philadelphia 76ers", "Phoenix Suns", "Portland Trail Blazers",
    "Sacramento Kings", "San Antonio Spurs", "Toronto Raptors", "Utah Jazz", "Washington Wizards",
)  # fmt: skip

# (book key, margin as overround, price noise in probability points)
BOOKS = (
    ("pinnacle", 0.025, 0.004),
    ("draftkings", 0.045, 0.012),
    ("fanduel", 0.043, 0.012),
    ("betmgm", 0.050, 0.015),
    ("caesars", 0.048, 0.014),
)
HOME_EDGE_POINTS = 2.5
MARGIN_SD_POINTS = 12.3  # NBA final-margin spread around the line
GAMES_PER_NIGHT = 5
DAYS_BEFORE, DAYS_AFTER = 1, 2


def _stable_int(*parts: object) -> int:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _game_id(day: str, home: str, away: str) -> str:
    return hashlib.sha256(f"demo|{Sport.NBA.value}|{day}|{home}|{away}".encode()).hexdigest()[:32]


def _normal_cdf(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _ratings(seed: int) -> dict[str, float]:
    """Latent team strengths in points above average, fixed by the seed."""
    rng = np.random.default_rng(seed)
    return dict(zip(NBA_TEAMS, rng.normal(0.0, 4.5, len(NBA_TEAMS)).round(2).tolist(), strict=True))


def schedule(*, seed: int, as_of: datetime) -> list[GameInfo]:
    """The demo nights from a day before ``as_of`` to two days after, five games a night."""
    games: list[GameInfo] = []
    base = as_of.astimezone(UTC).date()
    for offset in range(-DAYS_BEFORE, DAYS_AFTER + 1):
        day = base + timedelta(days=offset)
        rng = np.random.default_rng(_stable_int(seed, "night", day.isoformat()))
        order = rng.permutation(len(NBA_TEAMS))[: 2 * GAMES_PER_NIGHT]
        for slot in range(GAMES_PER_NIGHT):
            home, away = NBA_TEAMS[order[2 * slot]], NBA_TEAMS[order[2 * slot + 1]]
            # Tip-offs between 23:30 and 02:30 UTC, i.e. evening in the United States.
            tip = datetime(day.year, day.month, day.day, 23, 30, tzinfo=UTC) + timedelta(minutes=30 * slot)
            games.append(GameInfo(_game_id(day.isoformat(), home, away), Sport.NBA, tip, home, away))
    return games


def _price(p_fair: float, margin: float, noise: float, rng: np.random.Generator) -> float:
    implied = min(max(p_fair * (1.0 + margin) + rng.normal(0.0, noise), 0.02), 0.98)
    return round(1.0 / implied, 3)


def quotes(*, seed: int, as_of: datetime) -> list[OddsQuote]:
    """Every book's current prices for the demo games that have not started at ``as_of``."""
    seen_at = as_of.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    ratings = _ratings(seed)
    out: list[OddsQuote] = []
    for game in schedule(seed=seed, as_of=as_of):
        if game.commence_time <= seen_at:
            continue
        hour_rng = np.random.default_rng(_stable_int(seed, game.id, seen_at.isoformat()))
        drift = float(hour_rng.normal(0.0, 0.6))  # the line wanders a little from hour to hour
        margin_pts = ratings[game.home_team] - ratings[game.away_team] + HOME_EDGE_POINTS + drift
        p_home = _normal_cdf(margin_pts / MARGIN_SD_POINTS)
        spread_home = -round(margin_pts * 2.0) / 2.0
        total = round(2 * (224.0 + ratings[game.home_team] + ratings[game.away_team]) + drift) / 2.0
        for book, margin, noise in BOOKS:
            rng = np.random.default_rng(_stable_int(seed, game.id, seen_at.isoformat(), book))
            prices = {
                (Market.H2H, Side.HOME, None): _price(p_home, margin, noise, rng),
                (Market.H2H, Side.AWAY, None): _price(1.0 - p_home, margin, noise, rng),
                (Market.SPREADS, Side.HOME, spread_home): _price(0.5, margin, noise, rng),
                (Market.SPREADS, Side.AWAY, -spread_home): _price(0.5, margin, noise, rng),
                (Market.TOTALS, Side.OVER, total): _price(0.5, margin, noise, rng),
                (Market.TOTALS, Side.UNDER, total): _price(0.5, margin, noise, rng),
            }
            for (market, side, point), price in prices.items():
                out.append(OddsQuote(game, book, market, side, price, seen_at, point))
    return out
