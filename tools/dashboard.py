"""Benny's dashboard and bet book: the bankroll, the numbers, and the baselines beside him.

Tools for the agent, the CLI and REST: ``benny_dashboard`` (bankroll over time, profit and
loss, ROI, win rate, units, average odds, CLV, Sharpe ratio, maximum drawdown; by sport, market
and ISO week; and the baseline bettors on the same games, stakes and budget), ``benny_bets``
and ``explain_bet``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime

from pydantic import BaseModel, Field

from core.bankroll import SettledBet, Summary, bankroll_series, summarize
from core.errors import InvalidInput, NotFound
from core.formatting import american, pick_label
from core.odds import american_to_decimal
from core.staking import StakingRules
from store.bets import BetRow, list_bets
from tools.context import current
from tools.registry import tool

BASELINES = ("consensus_favourite", "fade_benny", "random")
SETTLED = frozenset({"won", "lost", "push", "void", "half_won", "half_lost"})


class Numbers(BaseModel):
    bets: int
    staked_usd: float
    pnl_usd: float
    roi: float | None = Field(description="profit and loss over the amount staked")
    win_rate: float | None
    units: float = Field(description="sum of profit / stake: each bet counted as one unit")
    avg_odds_american: float | None
    clv: float | None = Field(description="mean closing-line value of the settled bets")
    sharpe: float | None = Field(description="mean / standard deviation of per-bet returns")
    max_drawdown_usd: float


class Group(Numbers):
    key: str


class Week(Numbers):
    week: str
    min_balance_usd: float = Field(description="the lowest the week's remaining budget went")


class BankrollPoint(BaseModel):
    at: datetime
    bankroll_usd: float


class Dashboard(BaseModel):
    bets: int
    settled: int
    pending: int
    bankroll_usd: float = Field(description="cumulative profit and loss")
    overall: Numbers
    by_sport: list[Group]
    by_market: list[Group]
    by_week: list[Week]
    bankroll: list[BankrollPoint]
    baselines: dict[str, Numbers]


def _numbers(summary: Summary) -> Numbers:
    return Numbers(
        bets=summary.bets,
        staked_usd=summary.staked_usd,
        pnl_usd=summary.pnl_usd,
        roi=summary.roi,
        win_rate=summary.win_rate,
        units=summary.units,
        avg_odds_american=summary.avg_odds_american,
        clv=summary.clv,
        sharpe=summary.sharpe,
        max_drawdown_usd=summary.max_drawdown_usd,
    )


def _settled(rows: Sequence[BetRow]) -> list[tuple[BetRow, SettledBet]]:
    return [
        (
            r,
            SettledBet(
                settled_at=r.settled_at,
                stake_usd=r.stake_usd,
                profit_usd=r.profit_usd,
                odds_decimal=american_to_decimal(r.odds_american),
                status=r.status,
                clv=r.clv,
            ),
        )
        for r in rows
        if r.status in SETTLED and r.settled_at is not None and r.profit_usd is not None
    ]


def _grouped(pairs: list[tuple[BetRow, SettledBet]], key: Callable[[BetRow], str]) -> list[Group]:
    groups: dict[str, list[SettledBet]] = defaultdict(list)
    for row, bet in pairs:
        groups[key(row)].append(bet)
    return [Group(key=k, **_numbers(summarize(v)).model_dump()) for k, v in sorted(groups.items())]


def _baseline(rows: Sequence[BetRow], name: str) -> Numbers:
    bets = []
    for r in rows:
        line = ((r.reasons or {}).get("baselines") or {}).get(name)
        if r.settled_at is None or not line or line.get("profit_usd") is None:
            continue
        bets.append(
            SettledBet(
                settled_at=r.settled_at,
                stake_usd=r.stake_usd,
                profit_usd=float(line["profit_usd"]),
                odds_decimal=american_to_decimal(int(line["odds_american"])),
                status=str(line.get("status", "")),
            )
        )
    return _numbers(summarize(bets))


def build_dashboard(rows: Sequence[BetRow], *, weekly_budget_usd: float) -> Dashboard:
    pairs = _settled(rows)
    bets = [b for _, b in pairs]
    weeks: list[Week] = []
    staked_by_week: dict[str, float] = defaultdict(float)
    for r in rows:
        staked_by_week[r.week] += r.stake_usd
    settled_by_week: dict[str, list[SettledBet]] = defaultdict(list)
    for row, bet in pairs:
        settled_by_week[row.week].append(bet)
    for week in sorted(staked_by_week):
        summary = summarize(settled_by_week.get(week, []))
        numbers = _numbers(summary).model_dump() | {"staked_usd": round(staked_by_week[week], 2)}
        weeks.append(
            Week(week=week, min_balance_usd=round(weekly_budget_usd - staked_by_week[week], 2), **numbers)
        )
    series = bankroll_series(bets)
    return Dashboard(
        bets=len(rows),
        settled=len(pairs),
        pending=sum(r.status == "pending" for r in rows),
        bankroll_usd=series[-1][1] if series else 0.0,
        overall=_numbers(summarize(bets)),
        by_sport=_grouped(pairs, lambda r: r.sport_key),
        by_market=_grouped(pairs, lambda r: r.market),
        by_week=weeks,
        bankroll=[BankrollPoint(at=at, bankroll_usd=value) for at, value in series],
        baselines={name: _baseline(rows, name) for name in BASELINES},
    )


@tool(tags=("benny",))
def benny_dashboard() -> Dashboard:
    """Benny's paper-trading record: bankroll over time, P&L, ROI, CLV, drawdown, by sport, market and week.

    Beside him, on the same games, stakes and weekly budget: backing the consensus favourite,
    fading Benny, and a seeded random bettor.
    """
    ctx = current()
    with ctx.unit_of_work() as session:
        rows = list_bets(session=session)
    return build_dashboard(rows, weekly_budget_usd=StakingRules().weekly_budget_usd)


class BetView(BaseModel):
    bet_id: int
    placed_at: datetime
    sport: str
    matchup: str
    commence_time: datetime
    market: str
    pick: str
    book: str
    odds_american: int
    stake_usd: float
    probability: float
    status: str
    profit_usd: float | None
    clv: float | None
    analyst: str


def _view(r: BetRow) -> BetView:
    return BetView(
        bet_id=r.id,
        placed_at=r.placed_at,
        sport=r.sport_key,
        matchup=f"{r.away_team} @ {r.home_team}",
        commence_time=r.commence_time,
        market=r.market,
        pick=pick_label(r.market, r.side, r.point, home_team=r.home_team, away_team=r.away_team),
        book=r.book,
        odds_american=r.odds_american,
        stake_usd=r.stake_usd,
        probability=r.probability,
        status=r.status,
        profit_usd=r.profit_usd,
        clv=r.clv,
        analyst=r.analyst,
    )


@tool(tags=("benny",))
def benny_bets(status: str | None = None, limit: int = 50) -> list[BetView]:
    """Benny's bets, newest first: pick, price, stake, and how each ended.

    Args:
        status: only bets with this status (pending, won, lost, push, void, half_won, half_lost).
        limit: at most this many (1 to 500).
    """
    if status is not None and status not in SETTLED | {"pending"}:
        raise InvalidInput(f"status must be pending or one of {', '.join(sorted(SETTLED))}, got {status!r}")
    if not 1 <= limit <= 500:
        raise InvalidInput(f"limit must be between 1 and 500, got {limit}")
    ctx = current()
    with ctx.unit_of_work() as session:
        rows = list_bets(session=session, status=status)
    return [_view(r) for r in reversed(rows)][:limit]


class BetExplanation(BetView):
    reasoning: str
    key_factors: list[str]
    risks: list[str]
    market_probability: float | None
    blended_probability: float | None
    edge: float | None
    stake_rule: str = Field(description="how the stake was sized")
    post_mortem: str | None


@tool(tags=("benny",))
def explain_bet(bet_id: int) -> BetExplanation:
    """Why Benny made a bet: the analyst's reasoning, the numbers behind the stake, and the post-mortem.

    Args:
        bet_id: the bet's number, as benny_bets lists it.
    """
    ctx = current()
    with ctx.unit_of_work() as session:
        rows = list_bets(session=session, bet_id=bet_id)
    if not rows:
        raise NotFound(f"no bet {bet_id}")
    r = rows[0]
    reasons = r.reasons or {}
    stake_rule = (
        f"half-Kelly on the blended probability {reasons.get('blended_probability')} at "
        f"{american(r.odds_american)} (full Kelly {reasons.get('full_kelly')}) x the week's remaining "
        f"${reasons.get('remaining_budget_usd')}"
    )
    if reasons.get("note"):
        stake_rule += f"; {reasons['note']}"
    return BetExplanation(
        **_view(r).model_dump(),
        reasoning=str(reasons.get("reasoning", "")),
        key_factors=[str(x) for x in reasons.get("key_factors", [])],
        risks=[str(x) for x in reasons.get("risks", [])],
        market_probability=reasons.get("market_probability"),
        blended_probability=reasons.get("blended_probability"),
        edge=reasons.get("edge"),
        stake_rule=stake_rule,
        post_mortem=r.post_mortem,
    )
