"""The vocabulary shared by every layer: sports, markets and sides."""

from __future__ import annotations

from enum import StrEnum

from core.errors import InvalidInput


class Sport(StrEnum):
    """Sports keyed by The Odds API's sport keys, which join odds, scores and history."""

    NBA = "basketball_nba"
    NFL = "americanfootball_nfl"
    MLB = "baseball_mlb"
    NHL = "icehockey_nhl"
    EPL = "soccer_epl"

    @property
    def short(self) -> str:
        return _SHORT[self]

    @property
    def title(self) -> str:  # type: ignore[override]
        return _TITLE[self]

    @property
    def has_draw(self) -> bool:
        return self is Sport.EPL


class Market(StrEnum):
    H2H = "h2h"
    SPREADS = "spreads"
    TOTALS = "totals"


class Side(StrEnum):
    HOME = "home"
    AWAY = "away"
    DRAW = "draw"
    OVER = "over"
    UNDER = "under"


_SHORT = {
    Sport.NBA: "nba",
    Sport.NFL: "nfl",
    Sport.MLB: "mlb",
    Sport.NHL: "nhl",
    Sport.EPL: "epl",
}
_TITLE = {
    Sport.NBA: "NBA",
    Sport.NFL: "NFL",
    Sport.MLB: "MLB",
    Sport.NHL: "NHL",
    Sport.EPL: "EPL",
}
_BY_NAME = {**{s.short: s for s in Sport}, **{s.value: s for s in Sport}}


def parse_sport(name: str) -> Sport:
    """Accept an Odds API key (``basketball_nba``) or a short name (``nba``), any case."""
    key = name.strip().lower()
    try:
        return _BY_NAME[key]
    except KeyError:
        valid = ", ".join(s.short for s in Sport)
        raise InvalidInput(f"sport must be one of {valid} (or an Odds API key), got {name!r}") from None


def sides_for(sport: Sport, market: Market) -> tuple[Side, ...]:
    """The sides of a market in a fixed order (home first; the draw last in soccer)."""
    if market is Market.TOTALS:
        return (Side.OVER, Side.UNDER)
    if market is Market.H2H and sport.has_draw:
        return (Side.HOME, Side.AWAY, Side.DRAW)
    return (Side.HOME, Side.AWAY)
