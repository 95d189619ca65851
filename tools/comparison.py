"""The model leaderboard: each model's record beside its inverse, and whether to use it."""

from __future__ import annotations

from core.errors import InvalidInput
from core.sports import Market, parse_sport
from services.model_records import ModelRecord, Window, records, since_window
from store.user_models import list_models
from tools.context import current
from tools.registry import tool


# "public_read": without a user it still answers, with the system's models only.
@tool(per_user=True, tags=("models", "public_read"))
def compare_models(
    sport: str | None = None, days: Window = "30", market: str | None = None
) -> list[ModelRecord]:
    """The model leaderboard: each model's record by sport and market over a window, and whether to use it.

    Your own models are listed beside the system's, marked "(yours)"; nobody else's are.

    Accuracy counts won / (won + lost) with a 95% interval; the inverse is the opposite pick.
    The recommendation is ORIGINAL (use), INVERSE (fade: the opposite pick does significantly
    better) or AVOID (neither beats break-even at the prices taken).

    Args:
        sport: nba, nfl, mlb, nhl or epl; omitted, every sport.
        days: the window: 7, 30, 90 or all.
        market: h2h, spreads or totals; omitted, every market.
    """
    if market is not None and market not in {m.value for m in Market}:
        raise InvalidInput(f"market must be h2h, spreads or totals, got {market!r}")
    ctx = current()
    since = since_window(days, ctx.now().date())
    with ctx.unit_of_work() as session:
        mine = {m.id: m.name for m in list_models(session=session, user_id=ctx.user.id)}
        rows = records(
            session,
            since=since,
            sport_key=parse_sport(sport).value if sport else None,
            market=market,
            user_models=mine,
        )
    return sorted(rows, key=lambda r: (r.sport, r.market, -(r.accuracy or 0.0), r.model))
