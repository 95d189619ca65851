"""Filling a fresh database for a demo: the simulated book's current odds, recent results and injuries."""

from __future__ import annotations

from pydantic import BaseModel

from core.errors import UpstreamError
from services.collect import collect_injuries, collect_odds, collect_scores
from services.context import ToolContext


class SeedSummary(BaseModel):
    games: int
    snapshots: int
    results: int
    injuries: int


def seed_demo(ctx: ToolContext) -> SeedSummary:
    """Collect from the simulated sportsbook at the context's time: all five leagues, offline.

    Every collection is idempotent, so seeding twice at the same moment adds nothing, and a
    later moment adds the new snapshot of every line (line history) and any new results.
    """
    odds = collect_odds(ctx, source="sim")
    scores = collect_scores(ctx, source="sim")
    injuries = collect_injuries(ctx, source="sim")
    failed = [
        summary.error or "no reason given"
        for summary in (odds, scores, injuries)
        if summary.status == "failed"
    ]
    if failed:
        # A demo that stored nothing must say so, not report zero rows as a success.
        raise UpstreamError(f"the simulated sportsbook failed: {'; '.join(failed)}")
    return SeedSummary(
        games=sum(r.games for r in odds.runs),
        snapshots=sum(r.snapshots for r in odds.runs),
        results=sum(r.results for r in scores.runs),
        injuries=sum(r.injuries for r in injuries.runs),
    )
