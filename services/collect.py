"""Collecting odds, results, injuries and box scores, from the simulated book, The Odds API or ESPN.

One sport's collection is one transaction: what a call brought is stored whole or not at all.
Each collection also leaves a row in ``collector_runs`` (in a transaction of its own, so a
failure is recorded too) with the provider's quota headers. Paid Odds API calls go through the
credit budget first; a call it refuses is skipped, logged and recorded with the reason. Once
the provider says the credits are spent, no paid call is made until the quota resets. A
collection's summary says how it ended as a whole (``services.run_status``): ``failed`` when
every sport it tried failed, ``partial`` when some did.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, computed_field

from core.collectors import espn_client, espn_parse
from core.collectors.oddsapi_client import OddsApiClient, Quota, estimate_cost, scores_cost
from core.collectors.oddsapi_parse import parse_odds, parse_scores
from core.credits import Budget, Priority, decide, period_bounds
from core.errors import InvalidInput, OutOfCredits, UpstreamError
from core.game_reports import GameStatus
from core.sports import Sport, parse_sport
from services.context import ToolContext
from services.feeds import ODDS_MARKETS, SIM_REGIONS, espn_http, odds_http
from services.run_status import RunStatus, combined
from services.verification import verify_new_results
from store.odds import games_awaiting_close, save_quotes
from store.outcomes import capture_closing_lines, save_scores
from store.runs import QuotaSeen, last_quota, record_run
from store.stats import match_games, save_box_score, save_injuries

log = logging.getLogger(__name__)

OddsSource = Literal["sim", "oddsapi"]
StatsSource = Literal["sim", "espn"]
CLOSE_LOOKBACK = timedelta(days=3)  # closing lines are captured for games started this recently

T = TypeVar("T")


class SportRun(BaseModel):
    sport: str
    status: Literal["ok", "skipped", "failed"]
    message: str = ""
    games: int = 0
    snapshots: int = 0
    results: int = 0
    injuries: int = 0
    team_stats: int = 0
    player_stats: int = 0
    credits_used: int | None = None
    credits_remaining: int | None = None


class CollectSummary(BaseModel):
    kind: str
    source: str
    runs: list[SportRun]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status(self) -> RunStatus:
        """ok, partial (some sports failed), failed (every sport tried failed) or skipped (by the budget)."""
        return combined(run.status for run in self.runs)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def sports(self) -> dict[str, int]:
        """How many sports ended ok, failed or skipped."""
        return {key: sum(run.status == key for run in self.runs) for key in ("ok", "failed", "skipped")}

    @computed_field  # type: ignore[prop-decorator]
    @property
    def error(self) -> str | None:
        """What failed, sport by sport; None when nothing did."""
        failed = [f"{run.sport}: {run.message}" for run in self.runs if run.status == "failed"]
        return "; ".join(failed) or None


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a collection from synchronous code (the CLI, the library, a worker thread)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    coroutine.close()
    raise RuntimeError("inside an event loop: await the *_async collector instead")


def _sports(sport: str | None) -> list[Sport]:
    return [parse_sport(sport)] if sport else list(Sport)


def _odds_source(ctx: ToolContext, source: str | None) -> OddsSource:
    chosen = source or ctx.settings.feed_mode
    if chosen not in ("sim", "oddsapi"):
        raise InvalidInput(f"source for odds and scores must be sim or oddsapi, got {chosen!r}")
    if chosen == "oddsapi" and ctx.settings.odds_api_key is None:
        raise InvalidInput("source oddsapi needs ODDS_API_KEY")
    return chosen  # type: ignore[return-value]


def budget_now(ctx: ToolContext, source: str) -> Budget:
    """The credit budget as the last recorded quota headers left it (stale ones ignored)."""
    now = ctx.now()
    with ctx.unit_of_work() as session:
        seen = last_quota(session=session, source=source)
    start, _ = period_bounds(now, ctx.settings.odds_api_reset_day)
    if seen is None or seen.seen_at < start:
        # Nothing heard since the quota last reset: the budget alone decides.
        return Budget(
            now=now,
            monthly_budget=ctx.settings.odds_api_monthly_budget,
            reset_day=ctx.settings.odds_api_reset_day,
        )
    return Budget(
        now=now,
        monthly_budget=ctx.settings.odds_api_monthly_budget,
        reset_day=ctx.settings.odds_api_reset_day,
        remaining=seen.remaining,
        used=seen.used,
    )


def _quota_seen(quota: Quota | None, at: datetime) -> QuotaSeen | None:
    if quota is None:
        return None
    return QuotaSeen(remaining=quota.remaining, used=quota.used, last=quota.last, seen_at=at)


def _record(
    ctx: ToolContext,
    *,
    source: str,
    kind: str,
    sport: Sport,
    started: datetime,
    run: SportRun,
    quota: Quota | None,
    requests: int,
) -> None:
    with ctx.unit_of_work() as session:
        record_run(
            session=session,
            source=source,
            kind=kind,
            sport_key=sport.value,
            started_at=started,
            finished_at=ctx.now(),
            status=run.status,
            requests=requests,
            quota=_quota_seen(quota, ctx.now()),
            credits_used=run.credits_used,
            counts=run.model_dump(exclude={"sport", "status", "message"}),
            error=run.message if run.status != "ok" else None,
        )


async def _guarded(
    ctx: ToolContext,
    *,
    source: str,
    kind: str,
    sport: Sport,
    cost: int,
    priority: Priority,
    work: Callable[[SportRun], Awaitable[Quota | None]],
    requests: int = 1,
) -> SportRun:
    """Check the budget (paid Odds API calls only), do the work, record the run either way."""
    started = ctx.now()
    run = SportRun(sport=sport.short, status="ok")
    if source == "oddsapi" and cost > 0:
        decision = decide(budget_now(ctx, source), cost=cost, priority=priority)
        if not decision.allowed:
            run.status, run.message = "skipped", decision.reason
            log.info("skipped %s %s: %s", kind, sport.short, decision.reason, extra={"sport": sport.value})
            _record(
                ctx, source=source, kind=kind, sport=sport, started=started, run=run, quota=None, requests=0
            )
            return run
    quota: Quota | None = None
    try:
        quota = await work(run)
    except OutOfCredits as exc:
        run.status, run.message = "failed", f"{exc} Paid calls stop until the quota resets."
        quota = Quota(remaining=0, used=None, last=0)
    except UpstreamError as exc:
        run.status, run.message = "failed", str(exc)
    if quota is not None:
        run.credits_remaining = quota.remaining
        run.credits_used = quota.last if source == "oddsapi" else None
    _record(
        ctx, source=source, kind=kind, sport=sport, started=started, run=run, quota=quota, requests=requests
    )
    return run


async def collect_odds_async(
    ctx: ToolContext,
    *,
    sport: str | None = None,
    source: str | None = None,
    priority: Priority = Priority.SWEEP,
) -> CollectSummary:
    """Odds (h2h, spreads, totals) for one sport or all five; captures closing lines of started games."""
    chosen = _odds_source(ctx, source)
    regions, books = (
        (SIM_REGIONS, None) if chosen == "sim" else (ctx.settings.regions, ctx.settings.bookmakers)
    )
    cost = estimate_cost(ODDS_MARKETS, regions, books)
    runs: list[SportRun] = []
    async with odds_http(ctx, chosen) as (http, key):
        client = OddsApiClient(http, key, sleep=ctx.sleep)
        for sport_ in _sports(sport):

            async def work(run: SportRun, s: Sport = sport_) -> Quota:
                response = await client.odds(s, regions=regions, markets=ODDS_MARKETS, bookmakers=books)
                now = ctx.now()
                quotes = parse_odds(
                    response.payload, seen_at=now, odds_format=response.odds_format or "american"
                )
                with ctx.unit_of_work() as session:
                    counts = save_quotes(session=session, quotes=quotes, source=chosen)
                    capture_closing_lines(
                        session=session,
                        as_of=now,
                        since=now - CLOSE_LOOKBACK,
                        sport_key=s.value,
                        unclosed_only=True,
                    )
                run.games, run.snapshots = counts.games, counts.snapshots
                return response.quota

            runs.append(
                await _guarded(
                    ctx, source=chosen, kind="odds", sport=sport_, cost=cost, priority=priority, work=work
                )
            )
            if runs[-1].status == "failed" and "quota resets" in runs[-1].message:
                break  # out of credits: the other sports would fail the same way
    return CollectSummary(kind="odds", source=chosen, runs=runs)


CLOSING_WINDOW = timedelta(hours=1)


async def collect_closing_async(ctx: ToolContext, *, source: str | None = None) -> CollectSummary:
    """Closing-line captures: odds for games with predictions or bets that start within the hour.

    These calls come first in the credit budget: they may spend the reserve that sweeps keep.
    """
    chosen = _odds_source(ctx, source)
    now = ctx.now()
    with ctx.unit_of_work() as session:
        due = games_awaiting_close(session=session, start=now, end=now + CLOSING_WINDOW)
    regions, books = (
        (SIM_REGIONS, None) if chosen == "sim" else (ctx.settings.regions, ctx.settings.bookmakers)
    )
    cost = estimate_cost(ODDS_MARKETS, regions, books)
    runs: list[SportRun] = []
    async with odds_http(ctx, chosen) as (http, key):
        client = OddsApiClient(http, key, sleep=ctx.sleep)
        for sport_ in [s for s in Sport if s.value in due]:

            async def work(run: SportRun, s: Sport = sport_) -> Quota:
                response = await client.odds(
                    s, regions=regions, markets=ODDS_MARKETS, bookmakers=books,
                    commence_from=now, commence_to=now + CLOSING_WINDOW,
                )  # fmt: skip
                quotes = parse_odds(
                    response.payload, seen_at=ctx.now(), odds_format=response.odds_format or "american"
                )
                wanted = set(due[s.value])
                with ctx.unit_of_work() as session:
                    counts = save_quotes(
                        session=session, quotes=[q for q in quotes if q.game.id in wanted], source=chosen
                    )
                run.games, run.snapshots = len(wanted), counts.snapshots
                return response.quota

            runs.append(
                await _guarded(
                    ctx,
                    source=chosen,
                    kind="closing",
                    sport=sport_,
                    cost=cost,
                    priority=Priority.CLOSING,
                    work=work,
                )
            )
    return CollectSummary(kind="closing", source=chosen, runs=runs)


async def collect_scores_async(
    ctx: ToolContext, *, sport: str | None = None, source: str | None = None, days_from: int = 3
) -> CollectSummary:
    """Completed games of the last ``days_from`` days: each result stored once and graded with it."""
    chosen = _odds_source(ctx, source)
    if not 1 <= days_from <= 3:
        raise InvalidInput(f"days_from must be 1, 2 or 3, got {days_from}")
    runs: list[SportRun] = []
    async with odds_http(ctx, chosen) as (http, key):
        client = OddsApiClient(http, key, sleep=ctx.sleep)
        for sport_ in _sports(sport):

            async def work(run: SportRun, s: Sport = sport_) -> Quota:
                response = await client.scores(s, days_from=days_from)
                scores = parse_scores(response.payload)
                now = ctx.now()
                with ctx.unit_of_work() as session:
                    new = save_scores(session=session, scores=scores, source=chosen)
                    verify_new_results(session, new)
                    capture_closing_lines(session=session, as_of=now, game_ids=[x.game.id for x in new])
                run.results = len(new)
                return response.quota

            runs.append(
                await _guarded(
                    ctx,
                    source=chosen,
                    kind="scores",
                    sport=sport_,
                    cost=scores_cost(days_from),
                    priority=Priority.SWEEP,
                    work=work,
                )
            )
    return CollectSummary(kind="scores", source=chosen, runs=runs)


def _stats_source(ctx: ToolContext, source: str | None) -> StatsSource:
    chosen = source or ("espn" if ctx.settings.feed_mode == "oddsapi" else "sim")
    if chosen not in ("sim", "espn"):
        raise InvalidInput(f"source for injuries and stats must be sim or espn, got {chosen!r}")
    return chosen  # type: ignore[return-value]


async def collect_injuries_async(
    ctx: ToolContext, *, sport: str | None = None, source: str | None = None
) -> CollectSummary:
    """Every team's injury report (ESPN's shape, from ESPN or the simulated book)."""
    chosen = _stats_source(ctx, source)
    runs: list[SportRun] = []
    async with espn_http(ctx, chosen) as (http, base_url):
        for sport_ in _sports(sport):

            async def work(run: SportRun, s: Sport = sport_) -> None:
                payload = await espn_client.fetch_injuries(http, s, base_url=base_url, sleep=ctx.sleep)
                reports = espn_parse.parse_injuries(payload, seen_at=ctx.now())
                with ctx.unit_of_work() as session:
                    run.injuries = save_injuries(session=session, reports=reports, source=chosen)

            runs.append(
                await _guarded(
                    ctx,
                    source=chosen,
                    kind="injuries",
                    sport=sport_,
                    cost=0,
                    priority=Priority.SWEEP,
                    work=work,
                )
            )
    return CollectSummary(kind="injuries", source=chosen, runs=runs)


PLAYER_STAT_SPORTS = (Sport.NBA, Sport.NFL)


async def collect_stats_async(
    ctx: ToolContext, *, sport: str | None = None, source: str | None = None, day: datetime | None = None
) -> CollectSummary:
    """Box scores of the day's finished games: team stats for every sport, player lines for NBA and NFL."""
    chosen = _stats_source(ctx, source)
    if chosen == "sim":
        raise InvalidInput(
            "the simulated book serves odds, scores and injuries; box scores come from ESPN (--source espn). "
            "Form statistics are computed from stored results either way."
        )
    when = (day or ctx.now() - timedelta(days=1)).date()
    runs: list[SportRun] = []
    async with espn_http(ctx, chosen) as (http, base_url):
        for sport_ in _sports(sport):

            async def work(run: SportRun, s: Sport = sport_) -> None:
                board = espn_parse.parse_scoreboard(
                    await espn_client.fetch_scoreboard(http, s, when, base_url=base_url, sleep=ctx.sleep)
                )
                finals = [g for g in board if g.status is GameStatus.FINAL]
                summaries = [
                    espn_parse.parse_summary(
                        await espn_client.fetch_summary(
                            http, s, g.espn_id, base_url=base_url, sleep=ctx.sleep
                        )
                    )
                    for g in finals
                ]
                team_lines = [t for teams, _ in summaries for t in teams]
                player_lines = (
                    [p for _, players in summaries for p in players] if s in PLAYER_STAT_SPORTS else []
                )
                with ctx.unit_of_work() as session:
                    ids = match_games(session=session, games=finals)
                    run.team_stats, run.player_stats = save_box_score(
                        session=session,
                        team_stats=team_lines,
                        player_lines=player_lines,
                        as_of=ctx.now(),
                        game_ids=ids,
                    )
                run.games = len(finals)

            runs.append(
                await _guarded(
                    ctx, source=chosen, kind="stats", sport=sport_, cost=0, priority=Priority.SWEEP, work=work
                )
            )
    return CollectSummary(kind="stats", source=chosen, runs=runs)


def collect_odds(ctx: ToolContext, *, sport: str | None = None, source: str | None = None) -> CollectSummary:
    return run_sync(collect_odds_async(ctx, sport=sport, source=source))


def collect_closing(ctx: ToolContext, *, source: str | None = None) -> CollectSummary:
    return run_sync(collect_closing_async(ctx, source=source))


def collect_scores(
    ctx: ToolContext, *, sport: str | None = None, source: str | None = None, days_from: int = 3
) -> CollectSummary:
    return run_sync(collect_scores_async(ctx, sport=sport, source=source, days_from=days_from))


def collect_injuries(
    ctx: ToolContext, *, sport: str | None = None, source: str | None = None
) -> CollectSummary:
    return run_sync(collect_injuries_async(ctx, sport=sport, source=source))


def collect_stats(
    ctx: ToolContext, *, sport: str | None = None, source: str | None = None, day: datetime | None = None
) -> CollectSummary:
    return run_sync(collect_stats_async(ctx, sport=sport, source=source, day=day))
