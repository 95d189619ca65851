"""Domain values that collectors produce and the store keeps: games and odds quotes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from core.errors import InvalidInput
from core.sports import Market, Side, Sport


@dataclass(frozen=True, slots=True)
class GameInfo:
    """An event as a feed describes it; ``id`` is The Odds API event id or a stable derived id."""

    id: str
    sport: Sport
    commence_time: datetime
    home_team: str
    away_team: str

    def __post_init__(self) -> None:
        if not self.id:
            raise InvalidInput("game id must not be empty")
        if self.commence_time.tzinfo is None:
            raise InvalidInput(f"commence_time must be timezone-aware, got {self.commence_time!r}")
        if not self.home_team or not self.away_team or self.home_team == self.away_team:
            raise InvalidInput(
                f"teams must be two different names, got {self.home_team!r} v {self.away_team!r}"
            )


@dataclass(frozen=True, slots=True)
class OddsQuote:
    """One book's price for one side of one market at one moment, in decimal odds."""

    game: GameInfo
    book: str
    market: Market
    side: Side
    price_decimal: float
    seen_at: datetime
    point: float | None = None

    def __post_init__(self) -> None:
        if not math.isfinite(self.price_decimal) or self.price_decimal <= 1.0:
            raise InvalidInput(f"price_decimal must be finite and > 1, got {self.price_decimal}")
        if self.seen_at.tzinfo is None:
            raise InvalidInput(f"seen_at must be timezone-aware, got {self.seen_at!r}")
        if self.market is not Market.H2H and self.point is None:
            raise InvalidInput(f"a {self.market} quote needs a point")
        if not self.book:
            raise InvalidInput("book must not be empty")


@dataclass(frozen=True, slots=True)
class FinalScore:
    """A completed game's final score (overtime included), as a scores feed or a history file gives it."""

    game: GameInfo
    home_score: int
    away_score: int
    completed_at: datetime

    def __post_init__(self) -> None:
        if self.home_score < 0 or self.away_score < 0:
            raise InvalidInput(f"scores must not be negative, got {self.home_score}-{self.away_score}")
        if self.completed_at.tzinfo is None:
            raise InvalidInput(f"completed_at must be timezone-aware, got {self.completed_at!r}")
