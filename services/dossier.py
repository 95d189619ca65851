"""Dossiers: everything Benny's analyst reads about a game before proposing a pick.

For each game starting in the next 24 hours: the best price per side and the book offering it,
the devigged consensus now and at the opening, the ten models' predictions (each with its
30-day record, verdict and confidence multiplier), both teams' form and rest, their meetings,
and the injury report. Dossiers are built from the store as of the run's clock, by the same
contexts and the week's fitted models the analysis run uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

from pydantic import BaseModel, Field

from core.form import TeamGame
from core.formatting import american, percent, side_label, with_line
from core.models.base import GameContext, MarketBook, best_prices
from core.models.consensus import market_fair
from core.models.training import run_models
from core.odds import american_price
from core.sports import Market, Side
from services.game_contexts import contexts_at
from services.model_fits import fitted_models
from services.model_records import ModelRecord, records
from store.db import Session
from store.odds import GameRow

RECORD_DAYS = 30


class SideView(BaseModel):
    side: str
    label: str = Field(description="the team, 'Draw', 'Over' or 'Under'")
    point: float | None = Field(description="the side's own line (a spread's handicap, the total)")
    best_american: int | None
    best_decimal: float | None
    best_book: str | None
    consensus: float | None = Field(description="devigged consensus probability now")
    opening_consensus: float | None = Field(description="devigged consensus at the opening")


class MarketView(BaseModel):
    market: str
    books: int
    odds_seen_at: datetime | None = Field(description="the newest price's time")
    sides: list[SideView]


class ModelView(BaseModel):
    model: str
    market: str
    pick: str
    probability: float = Field(description="the model's probability for its pick")
    probabilities: dict[str, float]
    record_n: float | None = Field(description=f"graded predictions in the last {RECORD_DAYS} days")
    record_accuracy: float | None
    verdict: str | None = Field(description="ORIGINAL, INVERSE or AVOID from the model's record")
    multiplier: float | None


class TeamView(BaseModel):
    name: str
    last_results: str = Field(description="newest first, e.g. 'WWLWD'")
    last_margins: list[int]
    rest_days: float | None
    injuries: list[str] | None = Field(description="None: no fresh injury report")


class Dossier(BaseModel):
    game_id: str
    sport: str
    commence_time: datetime
    matchup: str
    home: TeamView
    away: TeamView
    head_to_head: list[str]
    markets: list[MarketView]
    models: list[ModelView]

    def text(self) -> str:
        """The dossier as compact text for a language model."""
        start = f"{self.commence_time:%Y-%m-%d %H:%M} UTC"
        lines = [f"GAME {self.game_id} | {self.sport} | {self.matchup} | starts {start}"]
        for team, role in ((self.home, "home"), (self.away, "away")):
            hurt = "no report" if team.injuries is None else (", ".join(team.injuries) or "none listed")
            rest = "?" if team.rest_days is None else f"{team.rest_days:.1f}d"
            lines.append(
                f"  {role} {team.name}: last {team.last_results or '-'} margins {team.last_margins} "
                f"rest {rest}; injuries: {hurt}"
            )
        if self.head_to_head:
            lines.append("  meetings: " + "; ".join(self.head_to_head))
        for m in self.markets:
            sides = ", ".join(
                f"{s.side} {with_line(s.label, m.market, s.point, sign_totals=True)} best "
                f"{'-' if s.best_american is None else american(s.best_american)} @{s.best_book} "
                f"fair {_percent(s.consensus)} (open {_percent(s.opening_consensus)})"
                for s in m.sides
            )
            lines.append(f"  market {m.market} ({m.books} books): {sides}")
        for v in self.models:
            record = (
                ""
                if v.record_n is None
                else f" record {_percent(v.record_accuracy)} of {v.record_n:g} {v.verdict} x{v.multiplier}"
            )
            lines.append(f"  model {v.model} {v.market}: {v.pick} {_percent(v.probability)}{record}")
        return "\n".join(lines)


def _percent(p: float | None) -> str:
    # The dossier is plain text for a language model: its blanks are ASCII hyphens.
    return percent(p, missing="-")


def build_dossiers(
    session: Session, *, now: datetime, rows: Sequence[GameRow]
) -> list[tuple[GameContext, Dossier]]:
    """Each game's context (every model's predictions, made now and not stored) and its dossier."""
    models = fitted_models(session, now=now)
    contexts = [run_models(models, c) for c in contexts_at(session, now=now, rows=rows)]
    recent = _records(session, now.date())
    return [(c, dossier_of(c, recent)) for c in contexts]


def _records(session: Session, today: date) -> dict[tuple[str, str, str], ModelRecord]:
    rows = records(session, since=today - timedelta(days=RECORD_DAYS), sport_key=None, market=None)
    return {(r.model, r.sport, r.market): r for r in rows}


def dossier_of(context: GameContext, recent: dict[tuple[str, str, str], ModelRecord]) -> Dossier:
    game = context.game
    markets = []
    for _, book in sorted(context.markets.items()):
        markets.append(_market_view(book, context))
    models = []
    for name, predictions in context.signals.items():
        for p in predictions:
            record = recent.get((name, game.sport.value, p.market.value))
            models.append(
                ModelView(
                    model=name,
                    market=p.market.value,
                    pick=p.pick.value,
                    probability=round(p.probability, 4),
                    probabilities={s.value: round(v, 4) for s, v in p.probabilities.items()},
                    record_n=None if record is None else record.n,
                    record_accuracy=None if record is None else record.accuracy,
                    verdict=None if record is None else record.recommendation,
                    multiplier=None if record is None else record.multiplier,
                )
            )
    meetings = {g.game_id for g in context.away_history}
    head_to_head = [
        f"{g.commence_time:%Y-%m-%d} {game.home_team} {g.points_for}-{g.points_against}"
        for g in context.home_history
        if g.game_id in meetings
    ][:5]
    return Dossier(
        game_id=game.id,
        sport=game.sport.value,
        commence_time=game.commence_time,
        matchup=f"{game.away_team} @ {game.home_team}",
        home=_team(game.home_team, context.home_history, context, game.commence_time),
        away=_team(game.away_team, context.away_history, context, game.commence_time),
        head_to_head=head_to_head,
        markets=markets,
        models=models,
    )


def _market_view(book: MarketBook, context: GameContext) -> MarketView:
    game = context.game
    best = best_prices(book)
    now_fair = market_fair(book)
    opening = replace(book, current=book.opening) if book.opening else None
    open_fair = None if opening is None else market_fair(opening)
    sides = []
    for i, side in enumerate(book.sides):
        line = best.get(side)
        decimal = None if line is None else line.prices[side]
        sides.append(
            SideView(
                side=side.value,
                label=side_label(side, home_team=game.home_team, away_team=game.away_team),
                point=side_point(book.market, side, book.point),
                best_american=None if decimal is None else american_price(decimal),
                best_decimal=None if decimal is None else round(decimal, 4),
                best_book=None if line is None else line.book,
                consensus=None if now_fair is None else round(float(now_fair[i]), 4),
                opening_consensus=None if open_fair is None else round(float(open_fair[i]), 4),
            )
        )
    seen = [line.seen_at for line in book.books()]
    return MarketView(
        market=book.market.value,
        books=len(book.books()),
        odds_seen_at=max(seen) if seen else None,
        sides=sides,
    )


def side_point(market: Market, side: Side, point: float | None) -> float | None:
    """A side's own line: a spread mirrors for the away side; totals and moneylines do not."""
    if market is Market.SPREADS and point is not None and side is Side.AWAY:
        return -point + 0.0
    return point


def _team(name: str, history: Sequence[TeamGame], context: GameContext, start: datetime) -> TeamView:
    injuries = None
    if context.injuries is not None:
        injuries = [f"{p.player} ({p.status})" for p in context.injuries if p.team == name]
    newest = history[0].commence_time if history else None
    return TeamView(
        name=name,
        last_results="".join(g.result for g in history[:5]),
        last_margins=[g.points_for - g.points_against for g in history[:5]],
        rest_days=None if newest is None else round((start - newest).total_seconds() / 86400, 2),
        injuries=injuries,
    )
