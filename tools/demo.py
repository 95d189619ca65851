"""Seeding the demo database: the walking skeleton's small NBA feed, stored through the store."""

from __future__ import annotations

from pydantic import BaseModel

from core.feeds import demo as demo_feed
from store.odds import save_quotes
from tools.context import ToolContext

DEMO_SEED = 20251015


class SeedSummary(BaseModel):
    games: int
    snapshots: int


def seed_demo(ctx: ToolContext, *, seed: int = DEMO_SEED) -> SeedSummary:
    """Store the demo feed's current quotes in one transaction; seeding twice in an hour adds nothing."""
    quotes = demo_feed.quotes(seed=seed, as_of=ctx.now())
    with ctx.unit_of_work() as session:
        counts = save_quotes(session=session, quotes=quotes, source="demo")
    return SeedSummary(games=counts.games, snapshots=counts.snapshots)
