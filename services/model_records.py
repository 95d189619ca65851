"""Models' records and the daily adjustments: which models to use, invert or avoid.

Both read the rollups (sums per model, sport, market and day), so they stay fast however many
predictions have been graded.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from core.confidence import Adjustment, daily_adjustment, wilson_interval
from core.errors import InvalidInput
from services.context import ToolContext
from store.adjustments import save_adjustments
from store.db import Session
from store.rollups import Totals, window_totals

Window = Literal["7", "30", "90", "all"]
ADJUSTMENT_WINDOW_DAYS = 30


class ModelRecord(BaseModel):
    model: str
    sport: str
    market: str
    n: float = Field(description="graded predictions (a half-won or half-lost quarter line counts half)")
    accuracy: float | None
    accuracy_low: float | None = Field(description="95% Wilson interval, lower end")
    accuracy_high: float | None = Field(description="95% Wilson interval, upper end")
    inverse_accuracy: float | None
    brier: float | None
    log_loss: float | None
    roi: float | None = Field(description="profit as a share of the amount staked, 1 unit per pick")
    clv: float | None = Field(description="mean closing-line value of the picks")
    recommendation: str = Field(description="ORIGINAL (use), INVERSE (fade) or AVOID")
    multiplier: float = Field(description="the confidence multiplier the record earns")


def since_window(window: str, today: date) -> date | None:
    if window == "all":
        return None
    if window not in ("7", "30", "90"):
        raise InvalidInput(f"days must be 7, 30, 90 or all, got {window!r}")
    return today - timedelta(days=int(window))


def _paired(totals: list[Totals]) -> dict[tuple[str, int, str, str], tuple[Totals | None, Totals | None]]:
    pairs: dict[tuple[str, int, str, str], list[Totals | None]] = {}
    for t in totals:
        slot = pairs.setdefault((t.model, t.user_model_id, t.sport_key, t.market), [None, None])
        slot[1 if t.is_inverse else 0] = t
    return {key: (v[0], v[1]) for key, v in pairs.items()}


def _verdict(original: Totals | None, inverse: Totals | None) -> Adjustment:
    o = original or _empty()
    i = inverse or _empty()
    return daily_adjustment(
        won=o.won, lost=o.lost, inverse_won=i.won, inverse_lost=i.lost, profit_units=o.profit_units,
        staked_units=o.staked_units, inverse_profit_units=i.profit_units, inverse_staked_units=i.staked_units,
    )  # fmt: skip


def _empty() -> Totals:
    return Totals("", 0, "", "", False, 0, 0.0, 0.0, 0.0, 0, 0.0, 0.0, 0.0, 0.0, 0)


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 6) if denominator else None


def records(
    session: Session,
    *,
    since: date | None,
    sport_key: str | None,
    market: str | None,
    user_models: dict[int, str] | None = None,
) -> list[ModelRecord]:
    """Each model's record; ``user_models`` (id -> name) adds those users' models, named as theirs."""
    out = []
    mine = user_models or {}
    for (model, user_model, sport_key_, market_), (original, inverse) in _paired(
        window_totals(
            session=session,
            since=since,
            sport_key=sport_key,
            market=market,
            user_model_ids=(0, *sorted(mine)),
        )
    ).items():
        if user_model:
            model = f"{mine[user_model]} (yours)"
        o = original or _empty()
        verdict = _verdict(original, inverse)
        graded = o.won + o.lost
        low, high = wilson_interval(o.won, graded) if graded else (None, None)
        out.append(
            ModelRecord(
                model=model,
                sport=sport_key_,
                market=market_,
                n=graded,
                accuracy=_ratio(o.won, graded),
                accuracy_low=None if low is None else round(low, 6),
                accuracy_high=None if high is None else round(high, 6),
                inverse_accuracy=verdict.inverse_accuracy,
                brier=_ratio(o.brier_sum, o.brier_n),
                log_loss=_ratio(o.log_loss_sum, o.brier_n),
                roi=_ratio(o.profit_units, o.staked_units),
                clv=_ratio(o.clv_sum, o.clv_n),
                recommendation=verdict.action.value.upper(),
                multiplier=round(verdict.multiplier, 6),
            )
        )
    return out


def run_adjustments(session: Session, *, today: date) -> dict[tuple[str, str, str], Adjustment]:
    """Store ``today``'s verdicts, from the grades of the last 30 days, in the caller's transaction."""
    pairs = _paired(window_totals(session=session, since=today - timedelta(days=ADJUSTMENT_WINDOW_DAYS)))
    verdicts = {(m, s, mk): _verdict(o, i) for (m, _u, s, mk), (o, i) in pairs.items()}
    save_adjustments(session=session, day=today, verdicts=verdicts)
    return verdicts


class AdjustSummary(BaseModel):
    day: date
    adjustments: int
    by_action: dict[str, int]


def adjust(ctx: ToolContext) -> AdjustSummary:
    """Today's verdict per model, sport and market (from the last 30 days), stored once a day."""
    today = ctx.now().date()
    with ctx.unit_of_work() as session:
        verdicts = run_adjustments(session, today=today)
    counts: dict[str, int] = {}
    for verdict in verdicts.values():
        counts[verdict.action.value] = counts.get(verdict.action.value, 0) + 1
    return AdjustSummary(day=today, adjustments=len(verdicts), by_action=counts)
