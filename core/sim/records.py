"""What ``SimWorld`` answers with: events, prices, scores, injury entries and the truth of a game.

The price records (``SimOutcome`` in ``SimMarket`` in ``SimBookmaker`` in ``SimOdds``) mirror The
Odds API's JSON; ``PriceSlate`` holds the same prices as nested lists, the fast path the
simulated book serves from. ``SimInjury`` carries what ESPN's injury payload does, and
``GameTruth`` what the simulation knows and the market does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final, NamedTuple

from core.sports import Market, Sport

__all__ = [
    "GameTruth",
    "PriceSlate",
    "SimBookmaker",
    "SimEvent",
    "SimInjury",
    "SimMarket",
    "SimOdds",
    "SimOutcome",
    "SimScore",
    "SportStatus",
]

_DRAW: Final = "Draw"


@dataclass(frozen=True, slots=True)
class SportStatus:
    sport: Sport
    active: bool


@dataclass(frozen=True, slots=True)
class SimEvent:
    id: str
    sport: Sport
    commence_time: datetime
    home_team: str
    away_team: str


# The four price records below are NamedTuples rather than frozen dataclasses: a month-long
# replay builds about a million of them, and a NamedTuple is immutable too but ~4x cheaper to make.
class SimOutcome(NamedTuple):
    """One side's price; ``point`` is the handicap (spreads) or the line (totals)."""

    name: str
    price_decimal: float
    price_american: int
    point: float | None = None


class SimMarket(NamedTuple):
    key: Market
    last_update: datetime
    outcomes: tuple[SimOutcome, ...]


class SimBookmaker(NamedTuple):
    key: str
    title: str
    last_update: datetime
    markets: tuple[SimMarket, ...]


class SimOdds(NamedTuple):
    event: SimEvent
    bookmakers: tuple[SimBookmaker, ...]


@dataclass(frozen=True, slots=True)
class PriceSlate:
    """Prices of several games at one moment as nested lists: ``decimal[m][g][b][j]`` is market m,
    game g, book b, outcome j (home, away[, Draw]; or Over, Under); ``points[m][g][b]`` is the
    home handicap (spreads) or the line (totals), None for h2h; ``quoted_at[g][b]`` epoch seconds."""

    events: tuple[SimEvent, ...]
    book_keys: tuple[str, ...]
    book_titles: tuple[str, ...]
    quoted_at: list[list[int]]
    markets: tuple[Market, ...]
    decimal: list[list[list[list[float]]]]
    american: list[list[list[list[int]]]]
    points: list[list[list[float]] | None]

    def outcome_names(self, g: int, market: Market) -> tuple[str, ...]:
        event = self.events[g]
        if market is Market.TOTALS:
            return ("Over", "Under")
        if market is Market.H2H and event.sport.has_draw:
            return (event.home_team, event.away_team, _DRAW)
        return (event.home_team, event.away_team)

    def outcome_points(self, m: int, g: int, b: int) -> tuple[float | None, ...]:
        table = self.points[m]
        if table is None:
            return (None, None, None)
        line = float(table[g][b]) + 0.0  # + 0.0 turns −0.0 into 0.0
        if self.markets[m] is Market.SPREADS:
            return (line, -line + 0.0)
        return (line, line)

    def to_odds(self) -> list[SimOdds]:
        out: list[SimOdds] = []
        for g, event in enumerate(self.events):
            books = []
            for b, (key, title) in enumerate(zip(self.book_keys, self.book_titles, strict=True)):
                stamp = datetime.fromtimestamp(self.quoted_at[g][b], UTC)
                rows = []
                for m, market in enumerate(self.markets):
                    names = self.outcome_names(g, market)
                    points = self.outcome_points(m, g, b)
                    decimal, american = self.decimal[m][g][b], self.american[m][g][b]
                    outcomes = tuple(
                        SimOutcome(names[j], decimal[j], american[j], points[j]) for j in range(len(names))
                    )
                    rows.append(SimMarket(market, stamp, outcomes))
                books.append(SimBookmaker(key, title, stamp, tuple(rows)))
            out.append(SimOdds(event, tuple(books)))
        return out


@dataclass(frozen=True, slots=True)
class SimScore:
    """Scores are None before the start; partial while in play; final once ``completed``."""

    event: SimEvent
    completed: bool
    home_score: int | None
    away_score: int | None
    last_update: datetime | None


@dataclass(frozen=True, slots=True)
class SimInjury:
    """One entry of a team's injury report, with what ESPN's payload carries."""

    sport: Sport
    team: str
    team_index: int
    injury_id: int
    athlete_id: int
    first_name: str
    last_name: str
    position_abbreviation: str
    position_name: str
    status: str  # ESPN's word: Out, Doubtful, Questionable, Day-To-Day
    updated_at: datetime  # when the status last changed
    reported_at: datetime
    expected_return: date
    body_part: str
    location: str
    detail: str
    side: str
    short_comment: str
    long_comment: str


@dataclass(frozen=True, slots=True)
class GameTruth:
    """What the simulation knows and the market does not (for tests and evaluation)."""

    game_id: str
    sport: Sport
    season: int
    commence_time: datetime
    end_time: datetime
    home_team: str
    away_team: str
    p_home: float
    p_draw: float
    p_away: float
    side_latent: float  # expected margin (NBA, NFL) or log rate ratio (NHL, MLB, EPL)
    total_latent: float  # expected total (NBA, NFL) or log mean scoring rate
    home_score: int
    away_score: int
    overtime: bool
    postseason_round: int
