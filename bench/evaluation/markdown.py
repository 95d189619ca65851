"""`python -m bench.evaluation.markdown`: docs/EVALUATION.md and its calibration plots, in one run.

For each league in ``LEAGUES`` it runs ``benny evaluate``'s replay (``services.evaluate.evaluate``,
the live path) on real history files from ``../shared/data`` into a scratch database it keeps
for the run, reads back every game's last moneyline forecast before the start, and scores, on
the same games:

- the devigged closing market, and Benny's models (from the replay);
- a tuned Elo baseline (``core.elo``), tuned on the games before the scored window only;
- for the EPL, penaltyblog's Dixon-Coles model, refit every Monday on the matches whose results
  were known by then, with time-decay weights.

It writes the Markdown report (summary tables, per-league tables, reliability diagrams, the
bettor's reading, the ten models' acceptance tables) and one PNG per league beside it in
``evaluation/``. ``--quick`` runs two small slices of two leagues, for tests.

    python -m bench.evaluation.markdown [--out docs/EVALUATION.md] [--quick] [--jobs 2]
"""

from __future__ import annotations

import argparse
import csv
import logging
import math
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlmodel import Session

from core import elo
from core import evaluation as scoring
from core.models import REGISTRY
from core.models.trainer import fit_moment
from core.sports import Market, Sport, sides_for
from services.evaluate import EvaluationReport, evaluate
from store.db import make_engine, unit_of_work
from store.evaluation import originals, results
from store.odds import games_with_ids
from store.verifications import closing_fair

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
MARKET, ELO, DIXON_COLES, BASE_RATE = "market", "elo", "dixon_coles", "base_rate"
BENNY_SHOWN = ("consensus", "ensemble", "benny")
MIN_COVERAGE = 0.95  # an "other" model joins the side-by-side if it covers this share of its games
DC_XI = 0.0018  # Dixon-Coles time decay per day (penaltyblog's default): a year-old match weighs 0.52
DC_MIN_MATCHES = 6  # fewer past matches: a newcomer, priced as the three weakest teams
REPORT_ORDER = ("epl", "nba", "nfl", "nhl", "mlb")  # the report's order; the replays run longest first
Vector = tuple[float, ...]


@dataclass(frozen=True, slots=True)
class League:
    key: str
    title: str
    sport: Sport
    files: tuple[str, ...]  # relative to the data folder
    score_from: date
    why: str
    min_season: int | None = None  # nflverse: keep the seasons from this one on
    head_games: int | None = None  # keep only the first games of each file (the quick run)


LEAGUES: tuple[League, ...] = (
    League(
        "nba", "NBA", Sport.NBA,
        tuple(
            f"nba/sbr_nba_odds_{s}.csv"
            for s in ("2014-15", "2015-16", "2016-17", "2017-18", "2018-19", "2019-20", "2020-21")
        ),
        date(2017, 10, 1),
        "the seven SBR seasons (closing moneylines; the Kaggle file's 21,797 games would not fit the "
        "time budget and add no moneylines after 2022-23); scored 2017-18 to 2020-21",
    ),
    League(
        "nhl", "NHL", Sport.NHL,
        tuple(f"nhl/sbr_nhl_odds_{s}.csv" for s in ("2019-20", "2020-21", "2021-22")),
        date(2021, 10, 1), "all three SBR seasons; scored 2021-22",
    ),
    League(
        "nfl", "NFL", Sport.NFL, ("nfl/nflverse_games.csv",), date(2021, 8, 1),
        "nflverse consensus lines, trimmed to the 2012-2025 seasons; scored 2021 to 2025 (2025 partial)",
        min_season=2012,
    ),
    League(
        "epl", "EPL", Sport.EPL,
        tuple(f"epl/E0_{y}{y + 1}.csv" for y in range(15, 25)),
        date(2021, 8, 1),
        "football-data, all ten seasons (every book's closing odds from 2019-20, Pinnacle's before); "
        "scored 2021-22 to 2024-25, so Elo is not tuned on the crowdless 2020-21 alone",
    ),
    League(
        "mlb", "MLB", Sport.MLB, ("mlb/sbr_mlb_odds_2021.csv",), date(2021, 7, 1),
        "the one SBR season, 2021; scored from July on (April to June tune Elo)",
    ),
)  # fmt: skip

QUICK: tuple[League, ...] = (
    League("epl", "EPL", Sport.EPL, ("epl/E0_2324.csv",), date(2024, 2, 5), "quick: 2023-24", head_games=330),
    League(
        "nhl", "NHL", Sport.NHL, ("nhl/sbr_nhl_odds_2021-22.csv",), date(2021, 11, 10), "quick: 2021-22",
        head_games=300,
    ),
)  # fmt: skip


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


# ---- the league's data, from the replay's database ------------------------------------------


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _outcome(sport: Sport, home: int, away: int) -> int | None:
    """The index, in ``sides_for(sport, h2h)`` order, of the side that won; None for a US tie."""
    if home != away:
        return 0 if home > away else 1
    return 2 if sport.has_draw else None


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


# ---- the baselines --------------------------------------------------------------------------


def elo_forecasts(
    games: Sequence[elo.EloGame], *, sport: Sport, score_from: datetime
) -> tuple[elo.EloFit, dict[str, Vector]]:
    """Elo tuned on the results known before ``score_from``, then replayed over every game."""
    fit = elo.tune(games, before=score_from, draws=sport.has_draw)
    expected = elo.replay(games, fit.params)
    forecasts: dict[str, Vector] = {}
    for game, e in zip(games, expected, strict=True):
        if game.start >= score_from:
            forecasts[game.game_id] = elo.three_way(e, fit.draw_factor) if sport.has_draw else (e, 1.0 - e)
    return fit, forecasts


Predictor = Callable[[str, str], Vector]  # (home, away) -> (home, away, draw)
FitFn = Callable[[Sequence[elo.EloGame], datetime], Predictor]


def penaltyblog_dixon_coles(matches: Sequence[elo.EloGame], moment: datetime) -> Predictor:
    """penaltyblog's Dixon-Coles model fit on ``matches``, weighted by age at ``moment``.

    A team with fewer than ``DC_MIN_MATCHES`` matches (a promoted side) is priced with the mean
    attack and defence of the three weakest established teams, the ones it replaced.
    """
    from penaltyblog.models import DixonColesGoalModel, create_dixon_coles_grid, dixon_coles_weights

    weights = dixon_coles_weights([m.start for m in matches], xi=DC_XI, base_date=moment)
    model = DixonColesGoalModel(
        [m.home_score for m in matches], [m.away_score for m in matches],
        [m.home for m in matches], [m.away for m in matches], weights,
    )  # fmt: skip
    model.fit()
    params = model.get_params()
    played = Counter([m.home for m in matches] + [m.away for m in matches])
    established = [str(t) for t in model.teams if played[str(t)] >= DC_MIN_MATCHES]
    weakest = sorted(established, key=lambda t: params[f"attack_{t}"] - params[f"defence_{t}"])[:3]
    proxy = (
        float(np.mean([params[f"attack_{t}"] for t in weakest])),
        float(np.mean([params[f"defence_{t}"] for t in weakest])),
    )

    def strength(team: str) -> tuple[float, float]:
        if played[team] >= DC_MIN_MATCHES:
            return float(params[f"attack_{team}"]), float(params[f"defence_{team}"])
        return proxy

    def predict(home: str, away: str) -> Vector:
        if played[home] >= DC_MIN_MATCHES and played[away] >= DC_MIN_MATCHES:
            grid = model.predict(home, away)
        else:
            (attack_h, defence_h), (attack_a, defence_a) = strength(home), strength(away)
            home_goals = math.exp(params["home_advantage"] + attack_h + defence_a)
            away_goals = math.exp(attack_a + defence_h)
            # rho within the bounds that keep the adjusted grid a distribution (the grid checks them)
            low, high = max(-1 / home_goals, -1 / away_goals), min(1.0, 1 / (home_goals * away_goals))
            grid = create_dixon_coles_grid(home_goals, away_goals, min(max(params["rho"], low), high))
        return (float(grid.home_win), float(grid.away_win), float(grid.draw))

    return predict


def dixon_coles_forecasts(
    games: Sequence[elo.EloGame], *, score_from: datetime, fit: FitFn = penaltyblog_dixon_coles
) -> tuple[dict[str, Vector], int, int]:
    """Walk-forward: each week's games priced by a fit, at Monday 00:00 UTC, on the results known then.

    Returns the forecasts, the number of fits, and the games priced with a newcomer's proxy.
    """
    weeks: dict[datetime, list[elo.EloGame]] = defaultdict(list)
    for game in games:
        if game.start >= score_from:
            weeks[fit_moment(game.start)].append(game)
    forecasts: dict[str, Vector] = {}
    newcomer_games = 0
    for moment in sorted(weeks):
        past = [g for g in games if g.known_at is not None and g.known_at < moment and g.result is not None]
        predict = fit(past, moment)
        played = Counter([g.home for g in past] + [g.away for g in past])
        for game in weeks[moment]:
            newcomer_games += min(played[game.home], played[game.away]) < DC_MIN_MATCHES
            forecasts[game.game_id] = predict(game.home, game.away)
    return forecasts, len(weeks), newcomer_games


def base_rate(games: Sequence[elo.EloGame], *, sport: Sport, score_from: datetime) -> Vector:
    """The share of each side's wins among the results known before ``score_from``."""
    counts = Counter(
        index
        for g in games
        if g.known_at is not None
        and g.known_at < score_from
        and g.home_score is not None
        and g.away_score is not None
        for index in [_outcome(sport, g.home_score, g.away_score)]
        if index is not None
    )
    k = len(sides_for(sport, Market.H2H))
    total = sum(counts.values())
    return tuple(counts[i] / total for i in range(k))


# ---- one league -----------------------------------------------------------------------------


def _trimmed(source: Path, folder: Path, league: League) -> Path:
    """``source`` cut to ``min_season`` / ``head_games``, bytes kept (and the name: SBR reads it)."""
    if league.min_season is None and league.head_games is None:
        return source
    header, *body = source.read_bytes().splitlines(keepends=True)
    if league.min_season is not None:
        column = next(csv.reader([header.decode("latin-1").lstrip("\ufeff")])).index("season")
        body = [b for b in body if int(next(csv.reader([b.decode("latin-1")]))[column]) >= league.min_season]
    if league.head_games is not None:
        per_game = 2 if b"Rot" in header else 1  # SBR files give each game two rows
        body = body[: league.head_games * per_game]
    target = folder / source.name
    target.write_bytes(header + b"".join(body))
    return target


def missing_files(league: League, data: Path) -> list[Path]:
    return [data / f for f in league.files if not (data / f).is_file()]


def run_league(league: League, data: Path) -> LeagueResult:
    """Replay the league through ``benny evaluate`` and score the baselines on the same games."""
    started = time.monotonic()
    score_from = datetime.combine(league.score_from, datetime.min.time(), tzinfo=UTC)
    with tempfile.TemporaryDirectory(prefix=f"benny-report-{league.key}-") as folder:
        paths = [_trimmed(data / f, Path(folder), league) for f in league.files]
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
                    for index in [_outcome(league.sport, g.home_score, g.away_score)]
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


# ---- scoring on the same games --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    label: str
    n: int
    brier: float
    log_loss: float
    ece: float
    gap: float | None  # mean Brier minus the market's, on these games
    se: float | None


def _arrays(result: LeagueResult, name: str, games: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    probs = np.array([result.forecasts[name][g] for g in games], dtype=float)
    return probs, np.array([result.outcomes[g] for g in games], dtype=np.int64)


def side_by_side(result: LeagueResult) -> tuple[list[Row], list[str]]:
    """The rows of the league's moneyline table, all on the same games; and those games."""
    f = result.forecasts
    core_names = [MARKET, *BENNY_SHOWN, ELO, *([DIXON_COLES] if DIXON_COLES in f else []), BASE_RATE]
    base = set(result.outcomes).intersection(*(set(f.get(n, {})) for n in core_names))
    if not base:
        return [], []
    others = [
        m
        for m in REGISTRY
        if m not in BENNY_SHOWN and len(base & set(f.get(m, {}))) >= MIN_COVERAGE * len(base)
    ]
    games = sorted(base.intersection(*(set(f[m]) for m in others)))
    if not games:
        return [], []
    ranked = sorted(others, key=lambda m: scoring.brier(*_arrays(result, m, games)))
    picked = {ranked[0]: "best other", ranked[-1]: "worst other"} if len(ranked) > 1 else {}
    market_terms = scoring.brier_terms(*_arrays(result, MARKET, games))
    rows = []
    names = [MARKET, *BENNY_SHOWN, *picked, ELO, *([DIXON_COLES] if DIXON_COLES in f else []), BASE_RATE]
    for name in names:
        probs, outcome = _arrays(result, name, games)
        gap = se = None
        if name != MARKET:
            gap, se = scoring.paired_bootstrap(scoring.brier_terms(probs, outcome), market_terms)
        label = LABELS.get(name, name) + (f" ({picked[name]})" if name in picked else "")
        rows.append(
            Row(name, label, len(games), scoring.brier(probs, outcome), scoring.log_loss(probs, outcome),
                scoring.ece(probs, outcome), gap, se)
        )  # fmt: skip
    return rows, games


LABELS = {
    MARKET: "**market** (devigged closing consensus)",
    ELO: "Elo (tuned)",
    DIXON_COLES: "Dixon-Coles (penaltyblog)",
    BASE_RATE: "base rate (training seasons)",
    "ensemble": "**ensemble**",
}


def market_check(result: LeagueResult) -> float:
    """The market's Brier over every game it priced, as the replay's own report computes it."""
    games = sorted(set(result.forecasts.get(MARKET, {})) & set(result.outcomes))
    return scoring.brier(*_arrays(result, MARKET, games)) if games else math.nan


# ---- reliability diagrams -------------------------------------------------------------------

PLOTTED = (  # name, label, colour, line style
    (MARKET, "market (close)", "black", "-"),
    ("ensemble", "ensemble", "tab:blue", "--"),
    (ELO, "Elo", "tab:orange", "-"),
    (DIXON_COLES, "Dixon-Coles", "tab:green", "-"),
)
MIN_BIN = 10  # a bin with fewer forecasts is counted below but not drawn as a point


def reliability_bins(
    p: np.ndarray, y: np.ndarray, *, bins: int = 10
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per equal-width bin: the mean forecast, the observed frequency and the count (empty bins dropped)."""
    index = np.minimum((p * bins).astype(int), bins - 1)
    counts = np.bincount(index, minlength=bins)
    keep = counts > 0
    mean_p = np.bincount(index, weights=p, minlength=bins)[keep] / counts[keep]
    freq = np.bincount(index, weights=y, minlength=bins)[keep] / counts[keep]
    return mean_p, freq, counts[keep]


def _pairs(probs: np.ndarray, outcome: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Binary: P(home) against a home win. Three-way: every (game, side) pair, as the ECE pools them."""
    won = np.zeros_like(probs)
    won[np.arange(len(outcome)), outcome] = 1.0
    if probs.shape[1] == 2:
        return probs[:, 0], won[:, 0]
    return probs.ravel(), won.ravel()


def reliability_plot(result: LeagueResult, games: Sequence[str], path: Path) -> None:
    """The league's reliability diagram (market, ensemble, Elo, Dixon-Coles), drawn with Agg to a PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.0, 6.6), dpi=100)
    FigureCanvasAgg(fig)
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    top.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1)
    three = len(sides_for(result.league.sport, Market.H2H)) == 3
    width = 0.1 / len(PLOTTED)
    for i, (name, label, colour, style) in enumerate(PLOTTED):
        if name not in result.forecasts:
            continue
        p, y = _pairs(*_arrays(result, name, games))
        mean_p, freq, counts = reliability_bins(p, y)
        shown = counts >= MIN_BIN
        top.plot(
            mean_p[shown], freq[shown], marker="o", markersize=4, color=colour, linestyle=style, label=label
        )
        left = np.floor(np.minimum(mean_p, 0.9999) * 10) / 10
        bottom.bar(left + (i + 0.5) * width, counts, width=width, color=colour)
    what = "every (match, outcome) pair" if three else "P(home win)"
    top.set(title=f"{result.league.title}: reliability on {len(games)} games ({what})",
            ylabel="observed frequency", xlim=(0, 1), ylim=(0, 1))  # fmt: skip
    top.legend(loc="upper left")
    top.grid(alpha=0.3)
    bottom.set(
        xlabel=f"forecast probability (10 equal-width bins; points need {MIN_BIN})", ylabel="forecasts"
    )
    fig.tight_layout()
    fig.savefig(path, format="png", metadata={"Software": None})


# ---- the Markdown ---------------------------------------------------------------------------


def _f(value: float | None, digits: int = 4) -> str:
    return "" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def _share(rows: dict[str, Row], name: str) -> float | None:
    """How much of the market's improvement over the base rate a forecaster recovers (1 = all of it)."""
    if name not in rows:
        return None
    span = rows[BASE_RATE].brier - rows[MARKET].brier
    return (rows[BASE_RATE].brier - rows[name].brier) / span if span > 0 else None


def league_table(rows: Sequence[Row]) -> str:
    lines = [
        "| forecaster | n | Brier | vs market (± SE) | log loss | ECE |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        gap = "" if r.gap is None else f"{r.gap:+.4f} ± {r.se:.4f}"
        lines.append(f"| {r.label} | {r.n} | {r.brier:.4f} | {gap} | {r.log_loss:.4f} | {r.ece:.4f} |")
    return "\n".join(lines) + "\n"


def acceptance(report: EvaluationReport) -> list[str]:
    """The ten models' acceptance rules on the moneyline, each with its numbers."""
    market = report.market.get("h2h")
    by = {m.model: m for m in report.models if m.market == "h2h" and m.brier is not None}
    if market is None or market.brier is None or "consensus" not in by or "ensemble" not in by:
        return ["- No moneyline was scored."]
    consensus, ensemble = by["consensus"], by["ensemble"]
    assert consensus.brier is not None
    assert ensemble.brier is not None
    assert market.ece is not None
    beaten = [
        (m.model, -m.brier_vs_ensemble / m.bootstrap_se)
        for m in by.values()
        if m.brier_vs_ensemble is not None and m.bootstrap_se and m.model != "ensemble"
    ]
    worst_z = max(beaten, key=lambda b: b[1], default=("none", 0.0))
    widest = max(by.values(), key=lambda m: m.ece or 0.0)

    def verdict(ok: bool) -> str:
        return "holds" if ok else "**fails**"

    close = abs(consensus.brier - market.brier) <= 1e-4
    within = (widest.ece or 0.0) <= market.ece + 0.015

    return [
        f"- consensus within 0.0001 of the market's Brier: {verdict(close)} "
        f"({consensus.brier:.5f} vs {market.brier:.5f}).",
        f"- the ensemble at or below the market's Brier: {verdict(ensemble.brier <= market.brier + 1e-6)} "
        f"({ensemble.brier:.5f} vs {market.brier:.5f}).",
        f"- no model beats the ensemble by more than two bootstrap SEs: {verdict(worst_z[1] <= 2)} "
        f"(the most: {worst_z[0]}, {worst_z[1]:.1f} SEs).",
        f"- every model's ECE within the market's + 0.015: {verdict(within)} "
        f"(the widest: {widest.model}, {widest.ece:.4f} against {market.ece:.4f}).",
    ]


def _command(league: League) -> str:
    files = " ".join(f"../shared/data/{f}" for f in league.files)
    return f"benny evaluate {files} --score-from {league.score_from} --markdown"


def render(
    done: Sequence[LeagueResult], skipped: Sequence[str], *, seconds: float, quick: bool
) -> tuple[str, dict[str, list[str]]]:
    """The whole report, and each league's scored games (for its plot)."""
    from presentation.evaluation_tables import markdown_tables

    tables = {r.league.key: side_by_side(r) for r in done}
    rows = {key: {row.name: row for row in t[0]} for key, t in tables.items()}
    out: list[str] = [
        "# Evaluation: Benny's models against the closing market, Elo and Dixon-Coles",
        "",
        "Generated by `python -m bench.evaluation.markdown` (`make evaluation`); do not edit by hand, "
        "rerun it. It runs `benny evaluate` (the live path, `services/evaluate.py`) on each league's "
        "history files, reads every game's last moneyline forecast before the start back from the "
        "replay's database, and scores two outside baselines on the same games. "
        + ("**This is a `--quick` run on small slices, for tests.** " if quick else "")
        + f"The run took {seconds / 60:.1f} minutes on two cores.",
        "",
        "How it is scored. The replay is walk-forward: the models are refit every Monday on the games "
        "already finished; each game is predicted at its opening and closing snapshots; the last "
        "prediction before the start is scored. The market is the devigged (proportional) closing "
        "consensus of the same games. Brier is binary, (p − y)², for two-way markets and summed over "
        "home/draw/away for the EPL (0 to 2), as in `../shared/data/DATA.md`; log loss is natural; "
        "ECE uses 10 equal-width bins over every (game, outcome) pair. `vs market (± SE)` is the mean "
        "Brier minus the market's on the same games, with its paired bootstrap standard error (1,000 "
        "resamples, seed 0); negative is better than the market. Ties in the NFL are left out.",
        "",
        "| league | files in `../shared/data` | scored from | games with results | training results "
        "| scored (h2h, same games) | why |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in done:
        files = ", ".join(f"`{f}`" for f in r.league.files)
        trim = f" (seasons {r.league.min_season} on)" if r.league.min_season else ""
        trim += f" (first {r.league.head_games} games)" if r.league.head_games else ""
        out.append(
            f"| {r.league.title} | {files}{trim} | {r.league.score_from} | {r.games} | {r.training_games} "
            f"| {len(tables[r.league.key][1])} | {r.league.why} |"
        )
    out += [f"\n{line}" for line in skipped]
    out += ["", "## The moneyline, side by side (Brier, lower is better)", ""]
    out += [
        "| league | n | market | consensus | ensemble | benny | Elo | Dixon-Coles | base rate |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in done:
        by = rows[r.league.key]
        if not by:
            continue
        cells = [
            _f(by[n].brier) if n in by else "–" for n in (MARKET, *BENNY_SHOWN, ELO, DIXON_COLES, BASE_RATE)
        ]
        out.append(f"| {r.league.title} | {by[MARKET].n} | " + " | ".join(cells) + " |")
    out += ["", _bettor(done, rows)]
    for r in done:
        table = tables[r.league.key][0]
        out += ["", f"### {r.league.title}", ""]
        if not table:
            out.append("No game was scored by every forecaster.")
            continue
        out += [
            league_table(table).rstrip(),
            "",
            f"![{r.league.title} reliability](evaluation/{r.league.key}.png)",
        ]
    out += ["", _baselines(done)]
    out += [
        "",
        "## The ten models' acceptance tables",
        "",
        "The `benny evaluate --markdown` output for each league, unedited (the generator runs the same "
        "replay). `vs ensemble (± SE)` is the model's mean Brier minus the ensemble's on the games both "
        "predicted; `shift` is the mean |model − market| probability; CLV is measured on the predictions "
        "made at the opening snapshot. Low accuracies are picks, not probabilities: value, ensemble and "
        "benny pick the side with the best expected value at the best price, often the underdog. "
        "injury_aware makes no prediction on these files (they carry no injury reports); matchup "
        "covers only the games whose teams met recently. The NBA's SBR files and nflverse price spreads "
        "and totals at or near −110 on both sides, so there the market is close to a coin flip (Brier "
        "about 0.25) and only the moneyline carries its opinion; the NHL puck line and the MLB run line "
        "carry prices of their own. A **fails** below is a finding to look into: the rules were set on "
        "the EPL and the NBA.",
    ]
    for r in done:
        out += ["", f"### {r.league.title}", "", "```", _command(r.league), "```", ""]
        if r.league.min_season:
            out += [
                f"(The generator feeds it the file cut to the seasons from {r.league.min_season} on.)",
                "",
            ]
        out += [
            "Acceptance on the moneyline:",
            "",
            *acceptance(r.report),
            "",
            markdown_tables(r.report).rstrip(),
        ]
    return "\n".join(out) + "\n", {key: t[1] for key, t in tables.items()}


def _bettor(done: Sequence[LeagueResult], rows: dict[str, dict[str, Row]]) -> str:
    usable = [r for r in done if rows[r.league.key]]
    if not usable:
        return "## What the numbers mean for a bettor\n\nNo league was scored."
    gaps = {r.league.title: rows[r.league.key]["ensemble"].gap or 0.0 for r in usable}
    beat = [
        f"{row.label} in the {r.league.title} ({row.gap:+.4f} ± {row.se:.4f})"
        for r in usable
        for row in rows[r.league.key].values()
        if row.gap is not None and row.se and row.gap < -2 * row.se
    ]
    elo_gap = {r.league.title: rows[r.league.key][ELO].gap or 0.0 for r in usable}
    share = "; ".join(
        f"{r.league.title} Elo {_pct(_share(rows[r.league.key], ELO))}"
        + (
            f", Dixon-Coles {_pct(_share(rows[r.league.key], DIXON_COLES))}"
            if DIXON_COLES in rows[r.league.key]
            else ""
        )
        + f", ensemble {_pct(_share(rows[r.league.key], 'ensemble'))}"
        for r in usable
    )
    dc = [rows[r.league.key][DIXON_COLES] for r in usable if DIXON_COLES in rows[r.league.key]]
    roi = {
        r.league.title: m.roi
        for r in usable
        for m in r.report.models
        if m.model == "ensemble" and m.market == "h2h" and m.roi is not None
    }
    lines = [
        "## What the numbers mean for a bettor",
        "",
        f"- **The models sit on the closing line.** Benny's ensemble ends within "
        f"{max(abs(g) for g in gaps.values()):.5f} Brier of the devigged close in every league "
        f"({', '.join(f'{k} {v:+.5f}' for k, v in gaps.items())}). That is by design: every model starts "
        "from the market and moves only as far as history shows its features earn, so it inherits the "
        "market's accuracy, and its edges are small.",
        "- **Beating the close is the hard part.** "
        + (
            "No forecaster here beats the closing market by more than two standard errors in any league."
            if not beat
            else "Beating it by more than two standard errors: " + "; ".join(beat) + "."
        )
        + " The closing price already holds the form, rest and line moves that the models read, and the "
        "injury and line-up news these files do not carry, so a bet placed at the close against it has, "
        "on these numbers, no edge left to pay the margin. "
        "Where betting has an edge, it is usually in taking a better price than the close (the CLV "
        "column of the acceptance tables measures that), not in out-forecasting it.",
        f"- **What a results-only model knows.** A tuned Elo, which sees only who beat whom and where, "
        f"is worse than the market by {', '.join(f'{k} {v:+.4f}' for k, v in elo_gap.items())} in Brier. "
        f"Measured as the share of the market's improvement over the base rate (always the training "
        f"seasons' home/away/draw frequencies) that each forecaster recovers: {share}. The gap between "
        "Elo and the close is what the market knows beyond results: injuries, line-ups, travel, and "
        "the money of better forecasters.",
    ]
    if roi:
        lines.append(
            "- **Betting the picks.** One unit on every ensemble moneyline pick at the best price on offer "
            f"returned {', '.join(f'{k} {100 * v:+.1f}%' for k, v in roi.items())} a bet (the ROI column "
            "below). With edges this small the bookmaker's margin and luck decide the sign; none of these "
            "is evidence of a lasting edge."
        )
    if dc:
        row = dc[0]
        lines.append(
            f"- **Dixon-Coles** (goals, not just results, with time decay) scores {row.brier:.4f} on the "
            f"EPL against the market's {rows['epl'][MARKET].brier:.4f} ({row.gap:+.4f} ± {row.se:.4f}) "
            f"and Elo's {rows['epl'][ELO].brier:.4f}: the classic goal model is a respectable forecaster and "
            "still well short of the close. A bettor using it alone would mostly be betting on its errors."
        )
    ece = "; ".join(
        f"{r.league.title} " + " / ".join(_f(rows[r.league.key][n].ece, 3) for n in (MARKET, "ensemble", ELO))
        for r in usable
    )
    lines.append(
        "- **Calibration.** The reliability diagrams below put each forecaster's bins against what "
        f"happened; ECE (market / ensemble / Elo) is {ece}. The ensemble is about as calibrated as "
        "the market it starts from. Calibration is not skill: a forecaster can be calibrated and still "
        "worse than the market, since Brier also rewards telling the 70% games from the 50% ones."
    )
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def _baselines(done: Sequence[LeagueResult]) -> str:
    lines = [
        "## The baselines",
        "",
        "**Elo** (`core/elo.py`): one rating per team, updated game by game from the results known "
        "before each start; P(home) is the expected score from the rating difference plus a home "
        "advantage. K, the home advantage and the share of a rating kept over an off-season (a gap of "
        "60 days or more; the 2020 pauses count as one) are chosen from a small grid (K in "
        f"{list(elo.K_GRID)}, home advantage in {list(elo.HOME_ADVANTAGE_GRID)}, carry in "
        f"{list(elo.CARRY_GRID)}) by the squared error of the expected score on the results known "
        "before the scored window only, the first third of them warming the ratings up. A team first "
        "seen after the first season starts at the mean of the three lowest ratings. For the EPL the "
        "draw gets D = δ·4E(1−E), δ fit by maximum likelihood on the same training games, and "
        "P(home) = E − D/2, P(away) = 1 − E − D/2.",
        "",
        "| league | tuned on results before | games in the loss | K | home adv. | carry | draw δ | MSE |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in done:
        p = r.elo_fit.params
        delta = f"{r.elo_fit.draw_factor:.3f}" if r.league.sport.has_draw else "–"
        lines.append(
            f"| {r.league.title} | {r.league.score_from} | {r.elo_fit.tuning_games} | {p.k:g} | "
            f"{p.home_advantage:g} | {p.carry:g} | {delta} | {r.elo_fit.loss:.4f} |"
        )
    for r in done:
        if r.dc_fits:
            lines += [
                "",
                f"**Dixon-Coles** (penaltyblog `DixonColesGoalModel`): fit {r.dc_fits} times, at each "
                "Monday 00:00 UTC before a week of scored matches, on every match whose result was known "
                f"by then, weighted exp(−{DC_XI}·age in days) (`dixon_coles_weights`); home/draw/away "
                "come from its score grid. A team with fewer than "
                f"{DC_MIN_MATCHES} matches in the fit (a promoted side early in its season) is priced with "
                "the mean attack and defence of the three weakest established teams, through "
                f"`create_dixon_coles_grid`: {r.newcomer_games} scored matches.",
            ]
    lines += [
        "",
        "The **base rate** forecasts every game with the training results' home/away(/draw) frequencies.",
    ]
    return "\n".join(lines)


# ---- the command ----------------------------------------------------------------------------


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.evaluation.markdown", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "EVALUATION.md")
    parser.add_argument("--quick", action="store_true", help="a tiny run on two slices (for tests)")
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--jobs", type=int, default=2, help="leagues replayed at once")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S", stream=sys.stderr
    )
    build(args.out, quick=args.quick, data=args.data, jobs=args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
