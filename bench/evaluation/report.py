"""The whole report in one call: every league run, docs/EVALUATION.md and its plots written."""

from __future__ import annotations

import logging
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.evaluation.leagues import DATA, LEAGUES, QUICK, REPORT_ORDER, missing_files
from bench.evaluation.markdown import render
from bench.evaluation.plots import reliability_plot
from bench.evaluation.runs import LeagueResult, run_league
from bench.evaluation.scoring import market_check

log = logging.getLogger(__name__)


def build(out: Path, *, quick: bool = False, data: Path = DATA, jobs: int = 2) -> list[LeagueResult]:
    """Run every league, write ``out`` and ``out.parent / 'evaluation' / <league>.png``."""
    started = time.monotonic()
    leagues, skipped = [], []
    for league in QUICK if quick else LEAGUES:
        absent = missing_files(league, data)
        if absent:
            message = f"Skipped {league.title}: {', '.join(str(p) for p in absent)} absent."
            log.warning("%s", message)
            skipped.append(message)
        else:
            leagues.append(league)
    if jobs > 1 and len(leagues) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            done = list(pool.map(run_league, leagues, [data] * len(leagues)))
    else:
        done = [run_league(league, data) for league in leagues]
    done.sort(key=lambda r: REPORT_ORDER.index(r.league.key))
    for r in done:
        reported = r.report.market.get("h2h")
        if (
            reported is not None
            and reported.brier is not None
            and abs(market_check(r) - reported.brier) > 1e-5
        ):
            log.warning("%s: the market's Brier read back (%.6f) differs from the replay's (%.6f)",
                        r.league.title, market_check(r), reported.brier)  # fmt: skip
    text, games = render(done, skipped, seconds=time.monotonic() - started, quick=quick)
    out.parent.mkdir(parents=True, exist_ok=True)
    figures = out.parent / "evaluation"
    figures.mkdir(exist_ok=True)
    for r in done:
        if games[r.league.key]:
            reliability_plot(r, games[r.league.key], figures / f"{r.league.key}.png")
    out.write_text(text, encoding="utf-8")
    log.info(
        "wrote %s and %d plots in %s (%.1f min)", out, len(done), figures, (time.monotonic() - started) / 60
    )
    return done
