"""`calibration`: do a model's picks win as often as it says they will?

The graded original picks of one system model are binned by the probability the model gave the
side it picked, in ten equal-width bins (0-10%, ..., 90-100%). Each bin shows how many picks fell
in it, their mean probability and how often they won: won / (won + lost), a half-won or
half-lost quarter line counting half and pushes and voids left out, as the leaderboard counts
accuracy. A calibrated model's bins sit on the diagonal.

The expected calibration error (ECE) is the gap between the mean probability and the win rate,
averaged over the bins weighted by their decided picks. ``core.scoring.ece`` bins events that
each count once and cannot weigh half results or leave pushes out, so the ECE here is
``core.scoring.ece_from_bins`` of the bins themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta

from pydantic import BaseModel, Field

from core import scoring
from core.errors import InvalidInput
from core.formatting import percent, points
from core.models import REGISTRY as MODELS
from core.sports import Market, parse_sport
from services.model_records import Window
from store.graded_picks import GradedPick, graded_originals
from tools.context import current
from tools.registry import tool

BINS = 10
# A result's share of a win and of a loss (pushes and voids are neither), as the rollups count them.
CREDIT = {"won": (1.0, 0.0), "lost": (0.0, 1.0), "half_won": (0.5, 0.0), "half_lost": (0.0, 0.5)}
MIN_PICKS_TO_JUDGE = 50
WELL_CALIBRATED = 0.03  # an ECE below 3 points
ROUGHLY_CALIBRATED = 0.07


class CalibrationBin(BaseModel):
    low: float = Field(description="the bin's lower edge (a probability)")
    high: float = Field(description="the bin's upper edge")
    count: int = Field(description="graded picks whose probability falls in the bin (pushes included)")
    decided: float = Field(description="won + lost; a half-won or half-lost pick counts half")
    mean_probability: float = Field(description="the mean probability the model gave these picks")
    observed: float | None = Field(description="won / (won + lost); null when none was decided")


class Calibration(BaseModel):
    model: str
    sport: str | None = Field(description="the sport key; null for every sport")
    market: str
    days: str
    n: int = Field(description="graded original picks")
    decided: float
    mean_probability: float | None
    observed: float | None = Field(description="won / (won + lost) over every bin")
    ece: float | None = Field(description="expected calibration error: the bins' mean |predicted - observed|")
    bins: list[CalibrationBin] = Field(description="the bins that hold a pick, lowest probability first")
    summary: str
    message: str | None = Field(description="why there is nothing to plot, when there is nothing")


def _bin_of(probability: float) -> int:
    return min(int(probability * BINS), BINS - 1)


def calibration_bins(picks: Sequence[GradedPick]) -> list[CalibrationBin]:
    """The picks in equal-width probability bins, with their counts, mean probability and win rate."""
    grouped: dict[int, list[GradedPick]] = {}
    for pick in picks:
        grouped.setdefault(_bin_of(pick.probability), []).append(pick)
    out = []
    for index in sorted(grouped):
        members = grouped[index]
        won = sum(CREDIT.get(p.result, (0.0, 0.0))[0] for p in members)
        lost = sum(CREDIT.get(p.result, (0.0, 0.0))[1] for p in members)
        out.append(
            CalibrationBin(
                low=index / BINS,
                high=(index + 1) / BINS,
                count=len(members),
                decided=won + lost,
                mean_probability=round(sum(p.probability for p in members) / len(members), 6),
                observed=round(won / (won + lost), 6) if won + lost else None,
            )
        )
    return out


def _summary(model: str, n: int, mean: float, observed: float | None, ece: float | None) -> str:
    if observed is None or ece is None:
        return (
            f"None of {model}'s {n} graded picks was decided (all pushed or were void): nothing to compare."
        )
    said = (
        f"{model}'s picks were given {percent(mean)} on average and won {percent(observed)} of the "
        f"time; the expected calibration error is {points(ece)} points"
    )
    if n < MIN_PICKS_TO_JUDGE:
        return f"{said}, from only {n} picks: too few to judge."
    if ece < WELL_CALIBRATED:
        return f"{said}: well calibrated."
    lean = "overconfident" if observed < mean else "underconfident"
    quality = "roughly calibrated" if ece < ROUGHLY_CALIBRATED else "poorly calibrated"
    return f"{said}: {quality}, and {lean} on the whole."


def _starts_from(days: str, now: datetime) -> datetime | None:
    if days == "all":
        return None
    if days not in ("7", "30", "90"):
        raise InvalidInput(f"days must be 7, 30, 90 or all, got {days!r}")
    return datetime.combine(now.date() - timedelta(days=int(days)), time(0), tzinfo=UTC)


@tool(tags=("models",))
def calibration(
    model: str = "ensemble", sport: str | None = None, market: str = "h2h", days: Window = "90"
) -> Calibration:
    """A model's calibration: how often its picks won at each probability it gave them, in ten bins.

    From the model's graded original picks (not the inverses): per 10%-wide bin of the pick's
    probability, the number of picks, their mean probability and how often they won (pushes left
    out; half results count half), plus the expected calibration error and a one-line verdict.

    Args:
        model: a system model: consensus, value, momentum, contrarian, hot_cold, rest_schedule,
            matchup, injury_aware, ensemble or benny.
        sport: nba, nfl, mlb, nhl or epl; omitted, every sport.
        market: h2h, spreads or totals.
        days: games from the last 7, 30 or 90 days, or all.
    """
    if model not in MODELS:
        raise InvalidInput(f"model must be one of {', '.join(MODELS)}, got {model!r}")
    if market not in {m.value for m in Market}:
        raise InvalidInput(f"market must be h2h, spreads or totals, got {market!r}")
    sport_key = parse_sport(sport).value if sport else None
    ctx = current()
    now = ctx.now()
    starts_from = _starts_from(days, now)
    with ctx.unit_of_work() as session:
        picks = graded_originals(
            session=session, model=model, market=market, known_by=now, sport_key=sport_key,
            starts_from=starts_from,
        )  # fmt: skip
    if not picks:
        window = "all time" if days == "all" else f"the last {days} days"
        where = f" in {parse_sport(sport).title}" if sport else ""
        message = (
            f"No graded {market} picks from {model}{where} over {window}: the plot fills in as games "
            "finish and the model's picks are graded."
        )
        return Calibration(
            model=model, sport=sport_key, market=market, days=days, n=0, decided=0.0, mean_probability=None,
            observed=None, ece=None, bins=[], summary=message, message=message,
        )  # fmt: skip
    bins = calibration_bins(picks)
    won = sum(CREDIT.get(p.result, (0.0, 0.0))[0] for p in picks)
    decided = sum(b.decided for b in bins)
    mean = round(sum(p.probability for p in picks) / len(picks), 6)
    observed = round(won / decided, 6) if decided else None
    judged = [b for b in bins if b.observed is not None]
    ece = None
    if decided:  # the bins' |mean probability - win rate|, weighted by their decided picks
        means, rates = [b.mean_probability for b in judged], [b.observed or 0.0 for b in judged]
        ece = round(scoring.ece_from_bins(means, rates, [b.decided for b in judged]), 6)
    return Calibration(
        model=model,
        sport=sport_key,
        market=market,
        days=days,
        n=len(picks),
        decided=decided,
        mean_probability=mean,
        observed=observed,
        ece=ece,
        bins=bins,
        summary=_summary(model, len(picks), mean, observed, ece),
        message=None,
    )
