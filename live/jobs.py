"""The live loop's jobs: what the scheduler runs, ``benny replay`` drives day by day, and the CLI calls.

Each job takes the tool context and returns its summary; a summary with a ``status`` (a
collection's, the users' models', the outcomes') says how the work ended, the others did theirs
by returning (they raise when they fail). The trading job chooses Benny's analyst here, at the
agent layer: Claude when ``ANTHROPIC_API_KEY`` is set, the offline analyst otherwise. Either way
the tools below only take its proposals; stakes are the staking engine's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, computed_field

from agent.llm import LLM
from services.analysis import AnalysisSummary, analyze
from services.analyst import offline_picks
from services.collect import CollectSummary, collect_closing, collect_injuries, collect_odds, collect_scores
from services.context import ToolContext
from services.dossier import Dossier
from services.model_records import AdjustSummary, adjust
from services.run_status import RunStatus, combined
from services.settlement import SettleSummary, settle
from services.trading import Analyst, TradeSummary, trade
from services.user_model_runs import QueueSummary, queue_user_models, run_queue

log = logging.getLogger("benny.jobs")

ANALYST_SYSTEM = """You are Benny, a disciplined sports-betting analyst paper-trading a $100-a-week bankroll.
You read one dossier per game: best prices, the devigged consensus now and at the opening, ten
models' probabilities with their recent records, form, rest, meetings and injuries.
Propose picks only where you believe a side's true probability is clearly above the market's
fair probability. Give your own probability for the side, your reasoning, the key factors and
the risks. You do not choose stakes, prices or books: code sizes every bet with half-Kelly on
your probability blended with the market, under weekly and per-bet caps, and refuses picks for
games, markets or sides not in the dossiers. Proposing nothing is a good answer on a thin day.
Submit your picks with the submit_picks tool."""


def claude_analyst(llm: LLM) -> Analyst:
    def analyst(dossiers: Sequence[Dossier]) -> object:
        picks, usage = llm.propose_picks(ANALYST_SYSTEM, "\n\n".join(d.text() for d in dossiers))
        log.info("analyst proposals received (cost $%.4f)", usage.cost_usd)
        return picks

    return analyst


def analyst_for(ctx: ToolContext) -> tuple[Analyst, str]:
    """Claude with a key, the offline analyst without."""
    settings = ctx.settings
    if settings.anthropic_api_key is not None:
        llm = LLM(api_key=settings.anthropic_api_key.get_secret_value(), model=settings.model)
        return claude_analyst(llm), "claude"
    threshold = settings.min_probability
    return (lambda dossiers: offline_picks(dossiers, min_probability=threshold)), "offline"


def job_collect_odds(ctx: ToolContext) -> CollectSummary:
    return collect_odds(ctx)


def job_collect_scores(ctx: ToolContext) -> CollectSummary:
    return collect_scores(ctx)


def job_collect_closing(ctx: ToolContext) -> CollectSummary:
    """Closing lines of the games with predictions or bets that start within the hour."""
    return collect_closing(ctx)


class OutcomesSummary(BaseModel):
    scores: CollectSummary
    settlement: SettleSummary

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status(self) -> RunStatus:
        # Settlement either ran whole or raised (and the job with it): beside the results it is ok.
        return combined([self.scores.status, "ok"])

    @computed_field  # type: ignore[prop-decorator]
    @property
    def error(self) -> str | None:
        return None if self.scores.error is None else f"scores: {self.scores.error}"


def job_outcomes(ctx: ToolContext) -> OutcomesSummary:
    """Results (which verify the predictions on them), then Benny's bets settled on those results.

    Settlement runs even when the results failed: bets on results stored before still settle.
    """
    scores = collect_scores(ctx)
    settled = settle(ctx)
    return OutcomesSummary(scores=scores, settlement=settled)


def job_collect_injuries(ctx: ToolContext) -> CollectSummary:
    return collect_injuries(ctx)


def job_analyze(ctx: ToolContext) -> AnalysisSummary:
    return analyze(ctx, hours=48)


def job_user_models(ctx: ToolContext) -> QueueSummary:
    """The users' active models on the coming games, queued in the database after each analysis, then run."""
    with ctx.unit_of_work() as session:
        queue_user_models(session, now=ctx.now())
    return run_queue(ctx)


def job_trade(ctx: ToolContext, *, dry_run: bool = False, analyst: Analyst | None = None) -> TradeSummary:
    chosen, name = (analyst, "custom") if analyst is not None else analyst_for(ctx)
    return trade(ctx, analyst=chosen, analyst_name=name, dry_run=dry_run)


def job_settle(ctx: ToolContext) -> SettleSummary:
    return settle(ctx)


def job_adjust(ctx: ToolContext) -> AdjustSummary:
    return adjust(ctx)


# The live loop's jobs by name, in the order a day runs them.
JOBS: dict[str, Callable[[ToolContext], Any]] = {
    "collect_odds": job_collect_odds,
    "collect_scores": job_collect_scores,
    "collect_injuries": job_collect_injuries,
    "collect_closing": job_collect_closing,
    "settle": job_settle,
    "adjust": job_adjust,
    "analyze": job_analyze,
    "user_models": job_user_models,
    "trade": job_trade,
}
