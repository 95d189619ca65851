"""injury_aware: the market prior adjusted by the value of the players listed injured.

A player's value is his share of his team's recent production, from player stats
(``InjuredPlayer.value``); the feed's status says how likely he is to miss the game. Per team:

- ``out``: the summed value of players out;
- ``doubtful``: the summed value of players doubtful;
- ``uncertain``: the summed value of players questionable, day-to-day or of another status;
- ``unvalued``: the number of players out or doubtful whose value is unknown (no stats).

Probable players are expected to play and are left out. How much each status costs is not
assumed: each is a feature with its own coefficient, fit per sport and market on stored
history (a doubtful player is worth whatever share of an out one the games say). Moneyline and
spread take each feature home minus away (the coefficients should come out negative: the home
side's injuries lower its chances); the total takes them added over both teams (missing
scorers on either side point to fewer points).

Players are matched to a side by team name (the game's home and away team). A game whose
context has no injury data (``injuries`` is None, as in most history files) gets no
prediction; an empty report means nobody is hurt, and the model then stays with the market.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.models.base import GameContext, InjuredPlayer, MarketBook
from core.models.training import Features, ShiftModel
from core.sports import Market

_GROUP = {
    "out": "out",
    "doubtful": "doubtful",
    "questionable": "uncertain",
    "day_to_day": "uncertain",
    "other": "uncertain",
}


def injury_load(players: Sequence[InjuredPlayer]) -> tuple[float, float, float, float]:
    """(out value, doubtful value, uncertain value, unvalued out-or-doubtful count) for one team."""
    load = {"out": 0.0, "doubtful": 0.0, "uncertain": 0.0}
    unvalued = 0.0
    for player in players:
        group = _GROUP.get(player.status)
        if group is None:
            continue  # probable: expected to play
        if player.value is None:
            unvalued += group in ("out", "doubtful")
        else:
            load[group] += player.value
    return load["out"], load["doubtful"], load["uncertain"], unvalued


@dataclass(frozen=True)
class InjuryAware(ShiftModel):
    name: str = "injury_aware"

    def features(self, context: GameContext, book: MarketBook) -> Features | None:
        if context.injuries is None:
            return None
        home = injury_load([p for p in context.injuries if p.team == context.game.home_team])
        away = injury_load([p for p in context.injuries if p.team == context.game.away_team])
        names = ("out", "doubtful", "uncertain", "unvalued")
        if book.market is Market.TOTALS:
            return Features(
                tuple(f"{n}_sum" for n in names), tuple(h + a for h, a in zip(home, away, strict=True))
            )
        return Features(
            tuple(f"{n}_diff" for n in names), tuple(h - a for h, a in zip(home, away, strict=True))
        )
