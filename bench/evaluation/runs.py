"""One league's run: ``benny evaluate``'s replay, its forecasts read back, and the baselines beside them.

``run_league`` replays the league's files through ``services.evaluate.evaluate`` (the live
path) into a scratch database it keeps for the run, reads back every game's last moneyline
forecast before the start and the devigged closing market, and adds the baselines' forecasts
of the same games.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from bench.evaluation.baselines import (
    Vector,
    base_rate,
    dixon_coles_forecasts,
    elo_forecasts,
    outcome_index,
)
from bench.evaluation.leagues import League, trimmed
from core import elo
from core.sports import Market, Sport, sides_for
from services.evaluate import EvaluationReport, evaluate
from store.db import make_engine, unit_of_work
from store.evaluation import originals, results
from store.odds import games_with_ids
from store.verifications import closing_fair

log = logging.getLogger(__name__)

MARKET, ELO, DIXON_COLES, BASE_RATE = "market", "elo", "dixon_coles", "base_rate"  # forecasters not Benny's


@dataclass(slots=True)
class LeagueResult:
    league: League
    seconds: float
    report: EvaluationReport
    games: int  # games imported with a result
    outcomes: dict[str, int]  # scored game -> index of the side that won
    forecasts: dict[str, dict[str, Vector]]  # forecaster -> game -> probabilities, in sides_for order
    elo_fit: elo.EloFit
    newcomer_games: int = 0  # Dixon-Coles: scored games priced with a newcomer's proxy
    dc_fits: int = 0
    training_games: int = 0  # results known before the scored window


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def played_games(session: Session, *, sport: Sport) -> list[elo.EloGame]:
    """Every stored game of ``sport`` with its result, oldest first."""
    known = results(session=session)
    ids = sorted(known)
    rows = [
        r
        for start in range(0, len(ids), 500)
        for r in games_with_ids(session=session, game_ids=ids[start : start + 500])
    ]
    games = []
    for row in rows:
        info = row.game
        if info.sport is not sport:
            continue
        home, away, known_at = known[info.id]
        games.append(
            elo.EloGame(
                info.id,
                _aware(info.commence_time),
                info.home_team,
                info.away_team,
                home,
                away,
                _aware(known_at),
            )
        )
    return sorted(games, key=lambda g: (g.start, g.game_id))


def replay_forecasts(
    session: Session, *, sport: Sport, score_from: datetime, outcomes: dict[str, int]
) -> dict[str, dict[str, Vector]]:
    """Each model's last moneyline forecast before the start, and the devigged closing market."""
    sides = sides_for(sport, Market.H2H)
    last: dict[tuple[str, str], dict[str, Any]] = {}
    for row in originals(session=session, start_from=score_from):
        wanted = row["inverse_of_id"] is None and row["market"] == Market.H2H.value and row["latest"]
        if wanted and row["game_id"] in outcomes:
            last[(row["game_id"], row["model"])] = row
    forecasts: dict[str, dict[str, Vector]] = defaultdict(dict)
    for (game_id, model), row in last.items():
        probs = (row["reason"] or {}).get("probabilities", {})
        vector = [probs.get(side.value) for side in sides]
        if all(v is not None for v in vector):
            forecasts[model][game_id] = tuple(float(v) for v in vector)
    games = sorted({game_id for game_id, model in last if model == "consensus"})
    fair = closing_fair(session=session, game_ids=games)
    for game_id in games:
        market = [fair.get((game_id, Market.H2H.value, side.value, None)) for side in sides]
        if all(v is not None for v in market):
            forecasts[MARKET][game_id] = tuple(float(v) for v in market if v is not None)
    return dict(forecasts)


def run_league(league: League, data: Path) -> LeagueResult:
    """Replay the league through ``benny evaluate`` and score the baselines on the same games."""
    started = time.monotonic()
    score_from = datetime.combine(league.score_from, datetime.min.time(), tzinfo=UTC)
    with tempfile.TemporaryDirectory(prefix=f"benny-report-{league.key}-") as folder:
        paths = [trimmed(data / f, Path(folder), league) for f in league.files]
        url = f"sqlite:///{Path(folder) / 'replay.db'}"
        shown = {"step": -1}

        def progress(done: int, total: int) -> None:
            step = 10 * done // max(total, 1)
            if step > shown["step"]:
                shown["step"] = step
                log.info("%s: replay %d%% (%d of %d moments)", league.title, 10 * step, done, total)

        log.info(
            "%s: benny evaluate on %s, scored from %s",
            league.title,
            ", ".join(league.files),
            league.score_from,
        )
        report = evaluate(paths, score_from=score_from, database_url=url, progress=progress)
        engine = make_engine(url)
        try:
            with unit_of_work(engine) as session:
                games = played_games(session, sport=league.sport)
                outcomes = {
                    g.game_id: index
                    for g in games
                    if g.start >= score_from and g.home_score is not None and g.away_score is not None
                    for index in [outcome_index(league.sport, g.home_score, g.away_score)]
                    if index is not None
                }
                forecasts = replay_forecasts(
                    session, sport=league.sport, score_from=score_from, outcomes=outcomes
                )
        finally:
            engine.dispose()
    training = sum(1 for g in games if g.known_at and g.known_at < score_from)
    log.info("%s: tuning Elo on the %d results before %s", league.title, training, league.score_from)
    fit, forecasts[ELO] = elo_forecasts(games, sport=league.sport, score_from=score_from)
    rate = base_rate(games, sport=league.sport, score_from=score_from)
    forecasts[BASE_RATE] = {game_id: rate for game_id in outcomes}
    result = LeagueResult(
        league=league, seconds=0.0, report=report, games=len(games), outcomes=outcomes, forecasts=forecasts,
        elo_fit=fit, training_games=training,
    )  # fmt: skip
    if league.sport is Sport.EPL:
        log.info("%s: Dixon-Coles, refit weekly", league.title)
        forecasts[DIXON_COLES], result.dc_fits, result.newcomer_games = dixon_coles_forecasts(
            games, score_from=score_from
        )
    result.seconds = time.monotonic() - started
    log.info("%s: done in %.0f s", league.title, result.seconds)
    return result
