"""Predictions: the models' latest picks, and the library's runs that make and grade them."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, Field

from core.errors import InvalidInput
from core.formatting import side_label
from core.models import REGISTRY
from core.sports import Market, parse_sport
from services import analysis, verification
from services.analysis import AnalysisSummary
from services.verification import VerifySummary
from store.predictions import latest_predictions
from tools.context import current
from tools.registry import tool


def analyze(*, sport: str | None = None, hours: int = 48) -> AnalysisSummary:
    """Run every model on the games starting in the next ``hours`` and store the predictions.

    The library's entry to the live loop's analysis run (not a chat tool: it writes the
    ledger), in the bound context.
    """
    return analysis.analyze(current(), sport=sport, hours=hours)


def verify() -> VerifySummary:
    """Grade every prediction whose result is known and is not graded yet (idempotent)."""
    return verification.verify(current())


class PredictionView(BaseModel):
    game_id: str
    commence_time: datetime
    matchup: str
    model: str
    market: str
    pick: str = Field(description="the side picked: home, away, draw, over or under")
    pick_label: str = Field(description="the team, 'Draw', 'Over' or 'Under'")
    point: float | None
    probability: float
    confidence: float
    odds_decimal: float | None = Field(description="the best price for the pick when it was made")
    book: str | None


@tool(tags=("models",))
def get_predictions(
    sport: str = "nba",
    model: str | None = None,
    game_id: str | None = None,
    hours: int = 48,
    market: str | None = None,
) -> list[PredictionView]:
    """The models' latest predictions for upcoming games: pick, probability, confidence and price.

    Args:
        sport: nba, nfl, mlb, nhl or epl.
        model: only this model (consensus, value, ...); omitted, every model.
        game_id: only this game.
        hours: games starting within this many hours (1 to 336).
        market: only this market (h2h, spreads or totals); omitted, every market.
    """
    if not 1 <= hours <= 336:
        raise InvalidInput(f"hours must be between 1 and 336, got {hours}")
    if market is not None and market not in {m.value for m in Market}:
        raise InvalidInput(f"market must be h2h, spreads or totals, got {market!r}")
    if model is not None and model not in REGISTRY:
        raise InvalidInput(f"model must be one of {', '.join(sorted(REGISTRY))}, got {model!r}")
    ctx = current()
    now = ctx.now()
    with ctx.unit_of_work() as session:
        rows = latest_predictions(
            session=session,
            sport_key=parse_sport(sport).value,
            model=model,
            game_id=game_id,
            start=now,
            end=now + timedelta(hours=hours),
        )
    views = []
    for r in rows:
        if market is not None and r.market != market:
            continue
        views.append(
            PredictionView(
                game_id=r.game_id,
                commence_time=r.commence_time,
                matchup=f"{r.away_team} @ {r.home_team}",
                model=r.model,
                market=r.market,
                pick=r.side,
                pick_label=side_label(r.side, home_team=r.home_team, away_team=r.away_team),
                point=r.point,
                probability=round(r.probability, 4),
                confidence=round(r.confidence, 4),
                odds_decimal=r.price_decimal,
                book=(r.reason or {}).get("book"),
            )
        )
    return views
