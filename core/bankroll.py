"""The bankroll's numbers: profit and loss, ROI, win rate, units, CLV, Sharpe ratio and drawdown.

Pure functions over settled bets. The bankroll is cumulative profit and loss (stakes come from
the weekly budget, winnings and losses go here). ``units`` counts each bet as one unit staked
(the sum of profit ÷ stake), so a run of small winning bets and one of large ones compare.
The Sharpe ratio is the mean over the standard deviation of per-bet returns (profit ÷ stake),
not annualised: bets are not evenly spaced in time. Maximum drawdown is the largest fall of the
bankroll from a running peak (the peak starts at zero, before the first bet).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from core.errors import InvalidInput
from core.odds import decimal_to_american


@dataclass(frozen=True, slots=True)
class SettledBet:
    settled_at: datetime
    stake_usd: float
    profit_usd: float
    odds_decimal: float
    status: str  # won, lost, push, void, half_won, half_lost
    clv: float | None = None

    def __post_init__(self) -> None:
        if self.stake_usd <= 0:
            raise InvalidInput(f"a settled bet's stake must be positive, got {self.stake_usd}")


@dataclass(frozen=True, slots=True)
class Summary:
    bets: int
    staked_usd: float
    pnl_usd: float
    roi: float | None
    win_rate: float | None  # wins ÷ (wins + losses); halves count half, pushes and voids not at all
    units: float
    avg_odds_american: float | None  # from the mean decimal price
    clv: float | None
    sharpe: float | None
    max_drawdown_usd: float


_WIN = {"won": 1.0, "half_won": 0.5}
_LOSS = {"lost": 1.0, "half_lost": 0.5}


def bankroll_series(bets: Sequence[SettledBet]) -> list[tuple[datetime, float]]:
    """The bankroll (cumulative profit and loss) after each settlement, in settlement order."""
    total = 0.0
    out = []
    for bet in sorted(bets, key=lambda b: b.settled_at):
        total += bet.profit_usd
        out.append((bet.settled_at, round(total, 2)))
    return out


def max_drawdown(values: Sequence[float]) -> float:
    """The largest fall from a running peak (the peak starts at 0); 0 when it never falls."""
    peak, worst = 0.0, 0.0
    for value in values:
        peak = max(peak, value)
        worst = max(worst, peak - value)
    return round(worst, 2)


def sharpe(returns: Sequence[float]) -> float | None:
    """Mean ÷ sample standard deviation of per-bet returns; None with fewer than two or no spread."""
    if len(returns) < 2:
        return None
    mean = sum(returns) / len(returns)
    var = sum((r - mean) ** 2 for r in returns) / (len(returns) - 1)
    return None if var <= 0 else round(mean / math.sqrt(var), 4)


def summarize(bets: Sequence[SettledBet]) -> Summary:
    staked = sum(b.stake_usd for b in bets)
    pnl = sum(b.profit_usd for b in bets)
    wins = sum(_WIN.get(b.status, 0.0) for b in bets)
    losses = sum(_LOSS.get(b.status, 0.0) for b in bets)
    returns = [b.profit_usd / b.stake_usd for b in bets]
    clvs = [b.clv for b in bets if b.clv is not None]
    mean_decimal = sum(b.odds_decimal for b in bets) / len(bets) if bets else None
    return Summary(
        bets=len(bets),
        staked_usd=round(staked, 2),
        pnl_usd=round(pnl, 2),
        roi=round(pnl / staked, 4) if staked else None,
        win_rate=round(wins / (wins + losses), 4) if wins + losses else None,
        units=round(sum(returns), 4),
        avg_odds_american=None
        if mean_decimal is None or mean_decimal <= 1.0
        else round(float(decimal_to_american(mean_decimal)), 1),
        clv=round(sum(clvs) / len(clvs), 4) if clvs else None,
        sharpe=sharpe(returns),
        max_drawdown_usd=max_drawdown([v for _, v in bankroll_series(bets)]),
    )
