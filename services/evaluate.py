"""`benny evaluate`: history files replayed through the live analysis and verification, on their own clock.

The files are imported into a scratch database. Then the clock steps through every moment a
snapshot was taken — each game's opening and its last snapshot before the start — and at each
one the live analysis run predicts the games whose snapshot it is, with the models as fit
walk-forward at the week's fit moment on the games finished before it (the fit is stored as the
live run stores its own); grading runs on the results known by then, and the daily adjustments
at each day's first moment.
Games before ``score_from`` serve as history only. The last prediction before each start is
scored; closing-line value is measured on the predictions made at the opening snapshot.
"""

from __future__ import annotations

import tempfile
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from core import scoring
from core import verify as grading
from core.clock import FixedClock
from core.evaluation import paired_bootstrap
from core.models import REGISTRY
from core.models.training import TrainingExample
from core.models.walk_forward import Trainer
from core.settings import Settings, load_settings
from core.sports import Market, Side, Sport, sides_for
from services.analysis import run_analysis
from services.context import open_context
from services.history_import import import_history
from services.model_fits import keep_fit
from services.model_records import run_adjustments
from services.setup import prepare_database
from services.verification import grade_due
from store.evaluation import originals, results, snapshot_schedule
from store.form import history_index
from store.odds import games_with_ids, team_ids
from store.verifications import closing_fair

ProgressFn = Callable[[int, int], None]  # (moments done, moments in all)


class MarketScore(BaseModel):
    n: int
    brier: float | None
    log_loss: float | None
    ece: float | None


class ModelScore(BaseModel):
    model: str
    market: str
    n: int
    coverage: float = Field(description="share of the scored games the model predicted")
    mean_abs_shift: float | None = Field(description="mean |model - market| probability of the first side")
    accuracy: float | None
    brier: float | None
    log_loss: float | None
    roi: float | None
    clv: float | None
    ece: float | None
    inverse_accuracy: float | None
    brier_vs_ensemble: float | None = Field(
        default=None,
        description="mean Brier minus the ensemble's on the games both predicted (negative: better)",
    )
    bootstrap_se: float | None = Field(
        default=None, description="paired bootstrap standard error of that gap"
    )


class EvaluationReport(BaseModel):
    scored_games: int
    moments: int
    refits: int
    market: dict[str, MarketScore]
    models: list[ModelScore]


def evaluate(
    paths: Sequence[str | Path],
    *,
    score_from: datetime | None = None,
    fmt: str | None = None,
    progress: ProgressFn | None = None,
    database_url: str | None = None,
) -> EvaluationReport:
    """Replay history files through the live pipeline and score every model.

    The replay runs in a scratch database unless ``database_url`` names one to keep (it should
    be empty: the replay's clock starts before every stored game).
    """
    with tempfile.TemporaryDirectory(prefix="benny-evaluate-") as home:
        # Always named: a DATABASE_URL in the environment (production's) must never receive a replay.
        url = database_url or f"sqlite:///{Path(home) / 'evaluate.db'}"
        settings = load_settings(_env_file=None, BENNY_HOME=home, DATABASE_URL=url)
        return _replay(settings, paths, score_from=score_from, fmt=fmt, progress=progress)


def _replay(
    settings: Settings,
    paths: Sequence[str | Path],
    *,
    score_from: datetime | None,
    fmt: str | None,
    progress: ProgressFn | None,
) -> EvaluationReport:
    engine = prepare_database(settings)
    clock = FixedClock(datetime(1990, 1, 1, tzinfo=UTC))
    ctx = replace(open_context(settings=settings, engine=engine), clock=clock)
    try:
        import_history(ctx, paths, fmt=fmt)
        with ctx.unit_of_work() as session:
            schedule = snapshot_schedule(session=session)
            known = results(session=session)
        moments: dict[datetime, list[tuple[str, bool]]] = defaultdict(list)
        for times in schedule:
            moments[times.opening].append((times.game_id, times.opening == times.closing))
            if times.closing != times.opening:
                moments[times.closing].append((times.game_id, True))
        trainer = Trainer(list(REGISTRY.values()))
        ordered = sorted(moments)
        by_time = sorted((known_at, game_id) for game_id, (_, _, known_at) in known.items())
        result_times = [known_at for known_at, _ in by_time]
        graded_until = ordered[0] if ordered else clock()
        with ctx.unit_of_work() as session:
            # Every team's results in memory once: each moment reads its histories as of itself.
            index = history_index(
                session=session, team_ids=team_ids(session=session), before=datetime(9999, 1, 1, tzinfo=UTC)
            )
        adjusted_on: date | None = None
        for step, moment in enumerate(ordered):
            clock.set(moment)
            fit_before = trainer.last_fit
            models = trainer.models_at(moment)
            wanted = dict(moments[moment])
            with ctx.unit_of_work() as session:
                if trainer.last_fit != fit_before:
                    keep_fit(session, trainer=trainer, models=models, created_at=moment)
                if moment.date() != adjusted_on:
                    # The daily verdicts, made at the day's first moment from the grades known then.
                    run_adjustments(session, today=moment.date())
                    adjusted_on = moment.date()
                # Grade only when a result has become known since the last grading.
                first, last = bisect_right(result_times, graded_until), bisect_right(result_times, moment)
                if last > first:
                    # Only the games whose results became known since: the ledger is not scanned.
                    grade_due(session, now=moment, game_ids=[game_id for _, game_id in by_time[first:last]])
                    graded_until = moment
                rows = games_with_ids(session=session, game_ids=list(wanted))
                _, contexts = run_analysis(session, now=moment, rows=rows, models=models, index=index)
            for context in contexts:
                result = known.get(context.game.id)
                if wanted[context.game.id] and result is not None:
                    trainer.add(TrainingExample(context, result[0], result[1], completed_at=result[2]))
            if progress is not None:
                progress(step + 1, len(ordered))
        with ctx.unit_of_work() as session:
            grade_due(session, now=datetime(9999, 1, 1, tzinfo=UTC))
            report = _score(session, score_from=score_from, known=known)
        return report.model_copy(update={"moments": len(ordered), "refits": trainer.refits})
    finally:
        engine.dispose()


def _outcome_index(sport: Sport, market: Market, point: float | None, sides: tuple[Side, ...],
                   score: tuple[int, int, datetime]) -> int | None:  # fmt: skip
    """The index of the side that won at ``point`` (the first side's point), or None on a push."""
    home, away, _ = score
    for index, side in enumerate(sides):
        side_point = (
            -point + 0.0 if (market is Market.SPREADS and point is not None and index == 1) else point
        )
        result = grading.grade(
            sport=sport, market=market, side=side, point=side_point, home_score=home, away_score=away
        )
        if result is grading.Grade.WON:
            return index
        if result is not grading.Grade.LOST:
            return None  # pushes and half results are left out of the scores
    return None


def _score(
    session: Any, *, score_from: datetime | None, known: dict[str, tuple[int, int, datetime]]
) -> EvaluationReport:
    rows = [r for r in originals(session=session, start_from=score_from) if r["game_id"] in known]
    fair = closing_fair(session=session, game_ids=sorted({r["game_id"] for r in rows}))
    last: dict[tuple[str, str, str], dict[str, Any]] = {}
    first: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in rows:
        if r["inverse_of_id"] is not None:
            continue
        key = (r["game_id"], r["model"], r["market"])
        first.setdefault(key, r)
        if r["latest"]:
            last[key] = r
    scored_games = sorted({key[0] for key in last})
    by_model: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for (_, model, market), r in last.items():
        by_model[(model, market)].append(r)
    market_scores: dict[str, MarketScore] = {}
    model_scores: list[ModelScore] = []
    games_with_market: dict[str, set[str]] = defaultdict(set)
    for game_id, _, market in last:
        games_with_market[market].add(game_id)
    for market in sorted(games_with_market):
        # The market: the devigged closing consensus at the consensus model's line, on the same games.
        probs: list[list[float]] = []
        outcomes: list[int] = []
        for game_id in sorted(games_with_market[market]):
            anchor = last.get((game_id, "consensus", market))
            if anchor is None:
                continue
            sport = Sport(anchor["sport_key"])
            sides = sides_for(sport, Market(market))
            point = _first_point(anchor, sides)
            vector = [
                fair.get((game_id, market, s.value, _own(Market(market), i, point)))
                for i, s in enumerate(sides)
            ]
            index = _outcome_index(sport, Market(market), point, sides, known[game_id])
            values = [v for v in vector if v is not None]
            if len(values) != len(sides) or index is None:
                continue
            probs.append(values)
            outcomes.append(index)
        market_scores[market] = _market_score(probs, outcomes)
    terms: dict[tuple[str, str], dict[str, float]] = {}
    for (model, market), preds in sorted(by_model.items()):
        probs, outcomes, shifts, won, lost, profit, staked, clvs = [], [], [], 0.0, 0.0, 0.0, 0, []
        game_ids: list[str] = []
        for r in preds:
            sport = Sport(r["sport_key"])
            sides = sides_for(sport, Market(market))
            point = _first_point(r, sides)
            vector = [(r["reason"] or {}).get("probabilities", {}).get(s.value) for s in sides]
            index = _outcome_index(sport, Market(market), point, sides, known[r["game_id"]])
            values = [float(v) for v in vector if v is not None]
            if len(values) != len(sides) or index is None:
                continue
            probs.append(values)
            outcomes.append(index)
            game_ids.append(r["game_id"])
            market_first = fair.get((r["game_id"], market, sides[0].value, point))
            if market_first is not None:
                shifts.append(abs(values[0] - market_first))
            credit = {"won": (1.0, 0.0), "lost": (0.0, 1.0), "half_won": (0.5, 0.0), "half_lost": (0.0, 0.5)}
            w, lo = credit.get(r["result"] or "", (0.0, 0.0))
            won, lost = won + w, lost + lo
            if r["profit_units"] is not None:
                profit, staked = profit + r["profit_units"], staked + 1
            opening = first.get((r["game_id"], model, market))
            if opening is not None and opening["price_decimal"] is not None and opening["as_of"] < r["as_of"]:
                close = fair.get((r["game_id"], market, opening["side"], opening["point"]))
                if close is not None:
                    clvs.append(grading.clv(opening["price_decimal"], close))
        score = _market_score(probs, outcomes)
        if probs:
            per_game = scoring.brier_binary_if_two_way_terms(
                np.array(probs, dtype=float), np.array(outcomes, dtype=np.int64)
            )
            terms[(model, market)] = dict(zip(game_ids, (float(t) for t in per_game), strict=True))
        coverage = len(probs) / max(len(games_with_market[market]), 1)
        model_scores.append(
            ModelScore(
                model=model, market=market, n=score.n, coverage=round(coverage, 6),
                mean_abs_shift=round(float(np.mean(shifts)), 6) if shifts else None,
                accuracy=round(won / (won + lost), 6) if won + lost else None,
                brier=score.brier, log_loss=score.log_loss, ece=score.ece,
                roi=round(profit / staked, 6) if staked else None,
                clv=round(float(np.mean(clvs)), 6) if clvs else None,
                inverse_accuracy=round(lost / (won + lost), 6) if won + lost else None,
            )
        )  # fmt: skip
    for i, score_row in enumerate(model_scores):
        mine = terms.get((score_row.model, score_row.market), {})
        pool = terms.get(("ensemble", score_row.market), {})
        common = sorted(set(mine) & set(pool))
        if common and score_row.model != "ensemble":
            gap, se = paired_bootstrap(
                np.array([mine[g] for g in common]), np.array([pool[g] for g in common])
            )
            model_scores[i] = score_row.model_copy(
                update={"brier_vs_ensemble": round(gap, 6), "bootstrap_se": round(se, 6)}
            )
    # Every model is listed for every market: one that said nothing (no injuries in a history
    # file, say) shows a coverage of 0 rather than vanishing from the table.
    listed = {(m.model, m.market) for m in model_scores}
    for market in sorted(games_with_market):
        for name in REGISTRY:
            if (name, market) not in listed:
                model_scores.append(
                    ModelScore(
                        model=name, market=market, n=0, coverage=0.0, mean_abs_shift=None, accuracy=None,
                        brier=None, log_loss=None, roi=None, clv=None, ece=None, inverse_accuracy=None,
                    )
                )  # fmt: skip
    model_scores.sort(key=lambda m: (m.market, m.model))
    return EvaluationReport(
        scored_games=len(scored_games), moments=0, refits=0, market=market_scores, models=model_scores
    )


def _first_point(row: dict[str, Any], sides: tuple[Side, ...]) -> float | None:
    """The first side's point of a prediction (a spread's home handicap, or the total)."""
    point = row["point"]
    if row["market"] == Market.SPREADS.value and point is not None and row["side"] != sides[0].value:
        return -float(point) + 0.0
    return None if point is None else float(point)


def _own(market: Market, index: int, first_point: float | None) -> float | None:
    if market is Market.SPREADS and first_point is not None and index == 1:
        return -first_point + 0.0
    return first_point


def _market_score(probs: list[list[float]], outcomes: list[int]) -> MarketScore:
    if not probs:
        return MarketScore(n=0, brier=None, log_loss=None, ece=None)
    p = np.array(probs, dtype=float)
    y = np.array(outcomes, dtype=np.int64)
    return MarketScore(
        n=len(p),
        brier=round(scoring.brier_binary_if_two_way(p, y), 6),
        log_loss=round(scoring.log_loss(p, y), 6),
        ece=round(scoring.ece(p, scoring.one_hot(y, p.shape[1])), 6),  # every (forecast, side) pair
    )
