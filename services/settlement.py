"""Settling Benny's bets once their results are in: exactly once, with CLV and a post-mortem.

Each bet is graded with the same rules as every prediction (``core.verify.grade``: won, lost,
push, and half results on quarter lines), paid with the seed's American-odds formulas
(``core.bet_settlement``), measured against the devigged closing line, and written with its
ledger entry in the run's transaction. The conditional update in ``store.bets.mark_settled``
makes a second, overlapping run skip a bet the first one settled. The baseline bettors' sides
on the same bet are settled alongside, so the dashboard can set Benny beside them.
"""

from __future__ import annotations

import copy
from datetime import datetime

from pydantic import BaseModel

from core import verify as grading
from core.bet_settlement import bet_profit, post_mortem
from core.formatting import pick_label
from core.odds import american_to_decimal
from core.sports import Market, Side, Sport
from services.context import ToolContext
from store.bets import Settleable, mark_settled, settleable
from store.db import Session
from store.verifications import closing_fair


class SettleSummary(BaseModel):
    as_of: datetime
    settled: int
    by_status: dict[str, int]
    pnl_usd: float


def _grade(bet: Settleable, side: str, point: float | None) -> grading.Grade:
    return grading.grade(
        sport=Sport(bet.sport_key),
        market=Market(bet.market),
        side=Side(side),
        point=point,
        home_score=bet.home_score,
        away_score=bet.away_score,
    )


def settle_due(session: Session, *, now: datetime) -> SettleSummary:
    """Settle every pending bet whose result was known by ``now``, in the caller's transaction."""
    due = settleable(session=session, as_of=now)
    fair = closing_fair(session=session, game_ids=[b.game_id for b in due])
    counts: dict[str, int] = {}
    pnl = 0.0
    for bet in due:
        result = _grade(bet, bet.side, bet.point)
        profit = bet_profit(result, bet.stake_usd, bet.odds_american)
        close = fair.get((bet.game_id, bet.market, bet.side, bet.point))
        clv = None if close is None else round(grading.clv(american_to_decimal(bet.odds_american), close), 6)
        reasons = copy.deepcopy(bet.reasons) if bet.reasons else {}
        for line in (reasons.get("baselines") or {}).values():
            outcome = _grade(bet, line["side"], line["point"])
            line["status"] = outcome.value
            line["profit_usd"] = bet_profit(outcome, bet.stake_usd, int(line["odds_american"]))
        note = post_mortem(
            probability=bet.probability,
            odds_american=bet.odds_american,
            home_team=bet.home_team,
            away_team=bet.away_team,
            home_score=bet.home_score,
            away_score=bet.away_score,
            result=result,
            stake_usd=bet.stake_usd,
            edge=reasons.get("edge"),
            clv=clv,
            pick=pick_label(
                bet.market, bet.side, bet.point, home_team=bet.home_team, away_team=bet.away_team
            ),
        )
        if mark_settled(
            session=session,
            bet=bet,
            status=result.value,
            profit_usd=profit,
            clv=clv,
            post_mortem=note[:500],
            reasons=reasons,
            at=now,
        ):
            counts[result.value] = counts.get(result.value, 0) + 1
            pnl += profit
    return SettleSummary(as_of=now, settled=sum(counts.values()), by_status=counts, pnl_usd=round(pnl, 2))


def settle(ctx: ToolContext) -> SettleSummary:
    """Settle Benny's pending bets whose games have finished: profit, CLV and a short post-mortem each."""
    with ctx.unit_of_work() as session:
        return settle_due(session, now=ctx.now())
