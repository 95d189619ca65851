"""The forecast-quality report: the quick run end to end, and the walk-forward of its baselines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from bench.evaluation import markdown as report
from bench.evaluation.markdown import (
    League,
    LeagueResult,
    build,
    dixon_coles_forecasts,
    penaltyblog_dixon_coles,
    reliability_bins,
)
from core.elo import EloGame
from core.sports import Sport
from tests.conftest import SHARED_DATA

MONDAY = datetime(2024, 1, 1, tzinfo=UTC)  # a fit moment: Monday 00:00 UTC


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[LeagueResult]]:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"../shared/data is absent ({SHARED_DATA}): the report replays its real files")
    out = tmp_path_factory.mktemp("report") / "EVALUATION.md"
    return out, build(out, quick=True, data=SHARED_DATA, jobs=1)


def test_the_quick_run_writes_every_table_and_a_plot_per_league(
    quick: tuple[Path, list[LeagueResult]],
) -> None:
    out, done = quick
    text = out.read_text()
    assert [r.league.key for r in done] == ["epl", "nhl"]
    for heading in (
        "## The moneyline, side by side",
        "## What the numbers mean for a bettor",
        "### EPL",
        "### NHL",
        "## The baselines",
        "## The ten models' acceptance tables",
        "### h2h",
        "### spreads",
        "### totals",
    ):
        assert heading in text, heading
    assert text.count("| forecaster | n | Brier | vs market (± SE) | log loss | ECE |") == 2
    assert text.count("| model | n | coverage | shift |") >= 6  # three markets a league
    for label in (
        "**market**",
        "**ensemble**",
        "consensus",
        "benny",
        "(best other)",
        "(worst other)",
        "Elo (tuned)",
    ):
        assert label in text, label
    assert "Dixon-Coles (penaltyblog)" in text
    for league in ("EPL", "NHL"):  # the summary: n, then the market's Brier
        assert re.search(rf"^\| {league} \| \d+ \| 0\.\d{{4}} \|", text, re.MULTILINE), league
    assert "--quick" in text
    for key in ("epl", "nhl"):
        png = out.parent / "evaluation" / f"{key}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"(evaluation/{key}.png)" in text


def test_the_forecasts_read_back_match_the_replays_own_scores(quick: tuple[Path, list[LeagueResult]]) -> None:
    _, done = quick
    for result in done:
        h2h = result.report.market["h2h"]
        assert h2h.brier is not None
        assert report.market_check(result) == pytest.approx(h2h.brier, abs=1e-5)
        rows, games = report.side_by_side(result)
        assert games
        assert len({r.n for r in rows}) == 1  # every forecaster on the same games
        assert all(g in result.forecasts[report.ELO] for g in games)
    epl = done[0]
    assert epl.dc_fits > 0
    first_scored = datetime.combine(epl.league.score_from, datetime.min.time(), tzinfo=UTC)
    assert epl.elo_fit.before == first_scored


def _season(seed: int, start: datetime, teams: Sequence[str], rounds: int) -> list[EloGame]:
    """Synthetic football: one match per pair a round, a round each Saturday, Poisson goals."""
    rng = np.random.default_rng(seed)
    attack = dict(zip(teams, rng.normal(0.2, 0.25, len(teams)), strict=True))
    games = []
    for r in range(rounds):
        kickoff = start + timedelta(days=7 * r + 5, hours=15)
        order = list(teams)
        rng.shuffle(order)
        for i in range(0, len(order) - 1, 2):
            home, away = order[i], order[i + 1]
            goals = rng.poisson(np.exp([0.25 + attack[home] - attack[away], attack[away] - attack[home]]))
            games.append(
                EloGame(
                    f"{r}-{home}-{away}",
                    kickoff,
                    home,
                    away,
                    int(goals[0]),
                    int(goals[1]),
                    kickoff + timedelta(hours=2),
                )
            )
    return games


def test_dixon_coles_is_fit_only_on_matches_known_before_each_week() -> None:
    teams = [f"T{i}" for i in range(8)]
    games = _season(1, MONDAY - timedelta(weeks=12), teams, 16)
    score_from = MONDAY
    calls: list[tuple[datetime, list[EloGame], list[str]]] = []

    def spy(matches: Sequence[EloGame], moment: datetime) -> report.Predictor:
        predict = penaltyblog_dixon_coles(matches, moment)
        priced: list[str] = []
        calls.append((moment, list(matches), priced))

        def recorded(home: str, away: str) -> tuple[float, ...]:
            priced.append(f"{home}-{away}")
            return predict(home, away)

        return recorded

    forecasts, fits, _ = dixon_coles_forecasts(games, score_from=score_from, fit=spy)
    scored = [g for g in games if g.start >= score_from]
    assert fits == len(calls) == 4
    assert set(forecasts) == {g.game_id for g in scored}
    for moment, matches, priced in calls:
        assert matches
        assert all(m.known_at is not None and m.known_at < moment for m in matches)
        week = [g for g in scored if moment <= g.start < moment + timedelta(weeks=1)]
        assert len(priced) == len(week)
        assert all(moment <= g.start for g in week)
    for probs in forecasts.values():
        assert sum(probs) == pytest.approx(1.0, abs=1e-6)
    # The scored weeks' results can be anything: the first week's forecasts do not move.
    changed = [replace(g, home_score=9, away_score=0) if g.start >= score_from else g for g in games]
    again, _, _ = dixon_coles_forecasts(changed, score_from=score_from)
    first_week = [g.game_id for g in scored if g.start < score_from + timedelta(weeks=1)]
    assert {g: again[g] for g in first_week} == {g: forecasts[g] for g in first_week}


def test_a_promoted_side_is_priced_as_the_weakest_established_teams() -> None:
    teams = [f"T{i}" for i in range(8)]
    past = _season(2, MONDAY - timedelta(weeks=12), teams, 10)
    newcomer = EloGame("new", MONDAY + timedelta(days=5), "Promoted", "T0")
    forecasts, _, newcomer_games = dixon_coles_forecasts([*past, newcomer], score_from=MONDAY)
    home, away, draw = forecasts["new"]
    assert newcomer_games == 1
    assert home + away + draw == pytest.approx(1.0, abs=1e-6)
    assert min(home, away, draw) > 0


def test_reliability_bins_by_hand() -> None:
    p = np.array([0.05, 0.08, 0.55, 0.95])
    y = np.array([0.0, 1.0, 1.0, 1.0])
    mean_p, freq, counts = reliability_bins(p, y)
    assert mean_p == pytest.approx([0.065, 0.55, 0.95])
    assert freq == pytest.approx([0.5, 1.0, 1.0])
    assert list(counts) == [2, 1, 1]


def test_a_league_whose_files_are_absent_is_skipped_with_a_message(tmp_path: Path) -> None:
    out = tmp_path / "docs" / "EVALUATION.md"
    assert build(out, quick=True, data=tmp_path / "no-data", jobs=1) == []
    text = out.read_text()
    assert "Skipped EPL:" in text
    assert "E0_2324.csv absent" in text
    assert "No league was scored." in text


def test_the_nfl_file_is_cut_to_its_seasons(tmp_path: Path) -> None:
    source = tmp_path / "src" / "games.csv"
    source.parent.mkdir()
    source.write_text("game_id,season,x\na,2015,1\nb,2016,2\nc,2024,3\n")
    league = League("nfl", "NFL", Sport.NFL, ("games.csv",), date(2021, 8, 1), "", min_season=2016)
    cut = report._trimmed(source, tmp_path, league)
    assert cut.read_text() == "game_id,season,x\nb,2016,2\nc,2024,3\n"
    (tmp_path / "head").mkdir()
    head = report._trimmed(source, tmp_path / "head", replace(league, min_season=None, head_games=1))
    assert head.read_text() == "game_id,season,x\na,2015,1\n"
