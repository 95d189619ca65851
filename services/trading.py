"""Benny's trading run: dossiers -> the analyst's proposals -> the staking engine -> bets.

The analyst (Claude with a key, the offline analyst without) only proposes: a game, a market,
a side, a probability and reasons. Everything else is code: the price is the best one in the
store at the run's clock, the stake comes from ``core.staking_engine`` (blend with the devigged
market, half-Kelly on the week's remaining budget, the controls), and a proposal naming anything
the dossiers did not offer is refused with a reason.

Each bet is one transaction: decided again on the book as it is then (held until the commit, so
two runs at once cannot both spend the same budget), then the bet row, its stake in the ledger,
and the ``benny`` prediction it is verified as. A database rule allows one bet per game and
market, so running the same day twice places nothing new, and a crash between two bets leaves
every stored bet whole.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, time, timedelta
from typing import Any

from pydantic import BaseModel, Field

from core.formatting import side_label
from core.models.base import GameContext, MarketPrediction, best_prices
from core.models.consensus import market_fair
from core.odds import american_price
from core.proposals import Proposal, validate_picks
from core.settings import Settings
from core.sports import Market, Side
from core.staking import BookState, Candidate, Decision, StakingRules, blended_probability, iso_week
from core.staking_engine import decide
from services.context import ToolContext
from services.dossier import Dossier, build_dossiers, side_point
from services.faults import fault_point
from store.bets import insert_bet, link_prediction, lock_book, placed_so_far, snapshot_id
from store.db import Session
from store.odds import games_between
from store.predictions import Predicted, latest_prediction_id, save_predictions

HORIZON = timedelta(hours=24)

# The analyst: the day's dossiers in, a ``submit_picks`` tool input out (``{"picks": [...]}``).
Analyst = Callable[[Sequence[Dossier]], object]


class Refused(BaseModel):
    game_id: str | None
    market: str | None
    side: str | None
    reason: str


class PlacedBet(BaseModel):
    bet_id: int | None = Field(description="None on a dry run")
    game_id: str
    matchup: str
    market: str
    side: str
    label: str
    point: float | None
    book: str
    odds_american: int
    stake_usd: float
    probability: float = Field(description="the analyst's probability for the side")
    blended_probability: float
    edge: float


class TradeSummary(BaseModel):
    as_of: datetime
    week: str
    analyst: str
    dry_run: bool
    games: int
    proposals: int
    bets: list[PlacedBet]
    refused: list[Refused]
    remaining_budget_usd: float


def staking_rules(settings: Settings) -> StakingRules:
    return StakingRules(
        min_probability=settings.min_probability,
        market_weight=settings.market_weight,
        min_edge=settings.min_edge,
        max_odds_age=timedelta(hours=settings.max_odds_age_hours),
    )


def trade(ctx: ToolContext, *, analyst: Analyst, analyst_name: str, dry_run: bool = False) -> TradeSummary:
    """One trading run at the context's clock over the games starting in the next 24 hours."""
    now = ctx.now()
    rules = staking_rules(ctx.settings)
    with ctx.unit_of_work() as session:
        rows = games_between(session=session, start=now, end=now + HORIZON)
        built = build_dossiers(session, now=now, rows=rows)
    contexts = {context.game.id: context for context, _ in built}
    dossiers = [d for _, d in built]
    offered = {
        d.game_id: {m.market: tuple(s.side for s in m.sides) for m in d.markets if m.books} for d in dossiers
    }
    proposals, refusals = validate_picks(analyst(dossiers) if dossiers else {"picks": []}, offered)
    refused = [
        Refused(
            game_id=_text(r.raw.get("game_id")),
            market=_text(r.raw.get("market")),
            side=_text(r.raw.get("side")),
            reason=r.reason,
        )
        for r in refusals
    ]
    candidates: list[tuple[Proposal, Candidate]] = []
    for proposal in proposals:
        candidate = _candidate(proposal, contexts[proposal.game_id])
        if isinstance(candidate, str):
            refused.append(_refused(proposal, candidate))
        else:
            candidates.append((proposal, candidate))
    # Best edge first: when the budget or the day's limit runs out, the weaker ideas miss out.
    candidates.sort(key=lambda pc: -_edge(pc[1], rules))
    with ctx.unit_of_work() as session:
        state = _book(session, now, list(contexts))
    bets: list[PlacedBet] = []
    for proposal, candidate in candidates:
        decision = decide(candidate, state, rules, now=now)
        if not decision.bet:
            refused.append(_refused(proposal, decision.reason or "no bet"))
            continue
        context = contexts[proposal.game_id]
        bet_id = None
        if not dry_run:
            placed = _place(ctx, context, proposal, candidate, rules, analyst_name, now, number=len(bets) + 1)
            if isinstance(placed, str):
                refused.append(_refused(proposal, placed))
                continue
            bet_id, decision, after = placed
            # The book as the bet found it, plus what this run knows is taken on its other games.
            state = replace(after, taken=state.taken | after.taken)
            fault_point(ctx.settings, "after_bet", len(bets) + 1)
        else:
            state = state.after(candidate, decision.stake_usd)
        bets.append(_view(bet_id, context, proposal, candidate, decision))
    return TradeSummary(
        as_of=now,
        week=state.week,
        analyst=analyst_name,
        dry_run=dry_run,
        games=len(dossiers),
        proposals=len(proposals),
        bets=bets,
        refused=refused,
        remaining_budget_usd=round(rules.weekly_budget_usd - state.staked_this_week_usd, 2),
    )


def _book(session: Session, now: datetime, game_ids: list[str]) -> BookState:
    """What is bet so far: the week's stakes, today's bets, and which of these games' markets are taken."""
    day_start = datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)
    placed = placed_so_far(
        session=session,
        week=iso_week(now),
        day_start=day_start,
        day_end=day_start + timedelta(days=1),
        game_ids=game_ids,
    )
    return BookState(
        week=iso_week(now),
        staked_this_week_usd=placed.staked_this_week_usd,
        bets_today=placed.bets_today,
        taken=placed.taken,
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _refused(proposal: Proposal, reason: str) -> Refused:
    return Refused(game_id=proposal.game_id, market=proposal.market, side=proposal.side, reason=reason)


def _edge(candidate: Candidate, rules: StakingRules) -> float:
    return blended_probability(candidate, rules) * candidate.odds_decimal - 1.0


def _candidate(proposal: Proposal, context: GameContext) -> Candidate | str:
    """The proposal priced from the store: the best price for the side now; or why it cannot be."""
    market, side = Market(proposal.market), Side(proposal.side)
    book = context.markets.get(market)
    if book is None or side not in book.sides:
        return "no price for this market"
    line = best_prices(book).get(side)
    fair = market_fair(book)
    if line is None or fair is None:
        return "no price for this side"
    return Candidate(
        game_id=proposal.game_id,
        market=proposal.market,
        side=proposal.side,
        point=side_point(market, side, book.point),
        probability=proposal.probability,
        market_probability=float(fair[book.sides.index(side)]),
        odds_american=american_price(line.prices[side]),
        book=line.book,
        odds_seen_at=line.seen_at,
        books=len(book.books()),
        commence_time=context.game.commence_time,
    )


def _baselines(context: GameContext, candidate: Candidate, seed: int) -> dict[str, dict[str, Any]]:
    """The sides the baseline bettors take on the same game, market and stake, at the best prices.

    consensus_favourite backs the side the devigged consensus rates likeliest; fade_benny takes
    the other side (in a three-way market, the likelier of the two others); random picks a side
    with a generator seeded by the game and market.
    """
    market = Market(candidate.market)
    book = context.markets[market]
    fair = market_fair(book)
    best = best_prices(book)
    probs = {s: float(fair[i]) for i, s in enumerate(book.sides)} if fair is not None else {}
    picked = Side(candidate.side)
    others = [s for s in book.sides if s is not picked]
    chosen = {
        "consensus_favourite": max(book.sides, key=lambda s: probs.get(s, 0.0)),
        "fade_benny": max(others, key=lambda s: probs.get(s, 0.0)),
        "random": random.Random(f"{seed}|{candidate.game_id}|{candidate.market}").choice(book.sides),
    }
    out = {}
    for name, side in chosen.items():
        line = best.get(side)
        if line is None:
            continue
        out[name] = {
            "side": side.value,
            "point": side_point(market, side, book.point),
            "book": line.book,
            "odds_american": american_price(line.prices[side]),
        }
    return out


def _place(
    ctx: ToolContext,
    context: GameContext,
    proposal: Proposal,
    candidate: Candidate,
    rules: StakingRules,
    analyst_name: str,
    now: datetime,
    *,
    number: int,
) -> tuple[int, Decision, BookState] | str:
    """Decide the bet again on the book as it is and store it whole, in one transaction.

    The book is held (``lock_book``) from that decision to the commit: another run betting
    meanwhile is seen, so the week's budget and the day's limit hold across runs. Returns the bet's
    id, its decision and the book after it; or why it is not placed (nothing written then).
    ``number`` is the bet's place in this run (1 for the first), which the fault points count.
    """
    game = context.game
    market = Market(candidate.market)
    book = context.markets[market]
    with ctx.unit_of_work() as session:
        lock_book(session=session)
        state = _book(session, now, [game.id])
        decision = decide(candidate, state, rules, now=now)
        if not decision.bet:
            return decision.reason or "no bet"
        row = {
            "game_id": game.id,
            "commence_time": game.commence_time,
            "market": candidate.market,
            "side": candidate.side,
            "point": candidate.point,
            "book": candidate.book,
            "odds_american": candidate.odds_american,
            "snapshot_id": snapshot_id(
                session=session,
                game_id=game.id,
                book=candidate.book,
                market=candidate.market,
                side=candidate.side,
                seen_at=candidate.odds_seen_at,
            ),
            "stake_usd": decision.stake_usd,
            "probability": proposal.probability,
            "week": iso_week(now),
            "status": "pending",
            "placed_at": now,
            "analyst": analyst_name,
            "reasons": {
                "reasoning": proposal.reasoning,
                "key_factors": list(proposal.key_factors),
                "risks": list(proposal.risks),
                "market_probability": round(candidate.market_probability, 4),
                "blended_probability": round(decision.blended_probability or 0.0, 4),
                "edge": round(decision.edge or 0.0, 4),
                "full_kelly": round(decision.full_kelly or 0.0, 4),
                "remaining_budget_usd": decision.remaining_budget_usd,
                "note": decision.reason,
                "books": candidate.books,
                "baselines": _baselines(context, candidate, ctx.settings.sim_seed),
            },
        }
        bet_id = insert_bet(session=session, row=row)
        if bet_id is None:
            return "already bet (another run placed it)"
        prediction = _as_prediction(book.sides, market, book.point, proposal, candidate, bet_id)
        save_predictions(
            session=session,
            items=[
                Predicted(game=game, model="benny", prediction=prediction, confidence=proposal.probability)
            ],
            as_of=now,
        )
        prediction_id = latest_prediction_id(
            session=session, game_id=game.id, model="benny", market=candidate.market
        )
        if prediction_id is not None:
            link_prediction(session=session, bet_id=bet_id, prediction_id=prediction_id)
        fault_point(ctx.settings, "before_bet_commit", number)
    return bet_id, decision, state.after(candidate, decision.stake_usd)


def _as_prediction(
    sides: tuple[Side, ...],
    market: Market,
    point: float | None,
    proposal: Proposal,
    candidate: Candidate,
    bet_id: int,
) -> MarketPrediction:
    """The bet as a ``benny`` prediction: the pick at the analyst's probability, the rest split evenly."""
    picked = Side(proposal.side)
    rest = 1.0 - proposal.probability
    others = [s for s in sides if s is not picked]
    probabilities = {picked: proposal.probability}
    for s in others:
        probabilities[s] = rest / len(others)
    return MarketPrediction(
        market=market,
        point=point,
        probabilities=probabilities,
        pick=picked,
        reason={"source": "trade", "bet_id": bet_id, "book": candidate.book},
        price_decimal=candidate.odds_decimal,
        book=candidate.book,
    )


def _view(
    bet_id: int | None, context: GameContext, proposal: Proposal, candidate: Candidate, decision: Decision
) -> PlacedBet:
    game = context.game
    return PlacedBet(
        bet_id=bet_id,
        game_id=game.id,
        matchup=f"{game.away_team} @ {game.home_team}",
        market=candidate.market,
        side=candidate.side,
        label=side_label(candidate.side, home_team=game.home_team, away_team=game.away_team),
        point=candidate.point,
        book=candidate.book,
        odds_american=candidate.odds_american,
        stake_usd=decision.stake_usd,
        probability=proposal.probability,
        blended_probability=round(decision.blended_probability or 0.0, 4),
        edge=round(decision.edge or 0.0, 4),
    )
