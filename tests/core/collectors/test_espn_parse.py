"""ESPN parsing: the real scoreboard, summary and injury payloads, fetched over a mock transport."""

from __future__ import annotations

import copy
import logging
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.collectors.espn_client import fetch_injuries, fetch_scoreboard, fetch_summary
from core.collectors.espn_fields import espn_display_name
from core.collectors.espn_parse import parse_injuries, parse_scoreboard, parse_summary
from core.errors import InvalidInput, UpstreamError
from core.game_reports import GameStatus, InjuryStatus
from core.sports import Sport
from tests.core.collectors.support import fetch, load

FETCHED_AT = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)
NBA_SCOREBOARD = "nba_scoreboard_2026-03-01_with_odds.json"
NFL_SCOREBOARD = "nfl_scoreboard_2024.json"
NFL_FINAL = "nfl_scoreboard_2025_sample.json"
NBA_SUMMARY = "nba_game_summary_boxscore.json"
NBA_INJURIES = "nba_injuries.json"


def serve(path: Path) -> Callable[[httpx.Request], httpx.Response]:
    body = path.read_bytes()
    return lambda request: httpx.Response(200, content=body)


# --- fetch + parse of every real file ------------------------------------------------------------


def test_nba_scoreboard_with_odds(espn_dir: Path) -> None:
    payload, recorder, _ = fetch(
        serve(espn_dir / NBA_SCOREBOARD),
        lambda http, sleep: fetch_scoreboard(http, Sport.NBA, date(2026, 3, 1), sleep=sleep),
    )
    url = recorder.requests[0].url
    assert (url.host, url.path) == ("site.api.espn.com", "/apis/site/v2/sports/basketball/nba/scoreboard")
    assert dict(url.params) == {"dates": "20260301"}

    games = parse_scoreboard(payload)
    assert len(games) == 11
    assert {g.sport for g in games} == {Sport.NBA}
    assert {g.status for g in games} == {GameStatus.SCHEDULED}
    # Scheduled games carry score "0" in the payload; that is not a result.
    assert all(g.home_score is None and g.away_score is None for g in games)
    knicks = games[0]
    assert (knicks.espn_id, knicks.home_team, knicks.away_team) == (
        "401810723",
        "New York Knicks",
        "San Antonio Spurs",
    )
    assert (knicks.home_espn_team_id, knicks.away_espn_team_id) == ("18", "24")
    assert knicks.start_time == datetime(2026, 3, 1, 18, 0, tzinfo=UTC)
    assert knicks.status_detail == "Sun, March 1st at 1:00 PM EST"
    odds = knicks.odds
    assert odds is not None
    assert odds.provider == "Draft Kings"
    assert odds.home_spread_points == 1.5  # "SA -1.5": the away Spurs give 1.5
    assert odds.total_points == 227.5
    assert odds.home_moneyline_decimal == pytest.approx(2.1)  # +110 close
    assert odds.away_moneyline_decimal == pytest.approx(1 + 100 / 130)  # -130 close
    assert all(g.odds is not None for g in games)


def test_espn_spread_is_the_home_handicap_in_both_shapes(espn_dir: Path) -> None:
    for name in (NBA_SCOREBOARD, NFL_SCOREBOARD):
        payload = load(espn_dir / name)
        for event, game in zip(payload["events"], parse_scoreboard(payload), strict=True):
            raw = event["competitions"][0]["odds"][0]
            assert game.odds is not None and game.odds.home_spread_points is not None
            home_favoured = raw["homeTeamOdds"]["favorite"]
            assert (game.odds.home_spread_points < 0) == home_favoured, raw["details"]


def test_nfl_2024_scoreboard(espn_dir: Path) -> None:
    payload, recorder, _ = fetch(
        serve(espn_dir / NFL_SCOREBOARD), lambda http, sleep: fetch_scoreboard(http, Sport.NFL, sleep=sleep)
    )
    assert recorder.requests[0].url.path.endswith("/football/nfl/scoreboard")
    assert dict(recorder.requests[0].url.params) == {}
    games = parse_scoreboard(payload)
    assert len(games) == 16
    assert {g.status for g in games} == {GameStatus.SCHEDULED}
    ravens = games[0]
    assert (ravens.home_team, ravens.away_team) == ("Baltimore Ravens", "Cleveland Browns")
    assert ravens.odds is not None
    assert (ravens.odds.provider, ravens.odds.home_spread_points, ravens.odds.total_points) == (
        "ESPN BET",
        -20.0,
        41.5,
    )
    assert ravens.odds.home_moneyline_decimal is None  # this shape has no moneyline


def test_nfl_final_uses_the_event_status_over_the_competition_status(espn_dir: Path) -> None:
    payload = load(espn_dir / NFL_FINAL)
    competition_status = payload["events"][0]["competitions"][0]["status"]["type"]
    assert competition_status["name"] == "STATUS_IN_PROGRESS"  # the real payload's quirk
    (game,) = parse_scoreboard(payload)
    assert game.status is GameStatus.FINAL and game.is_final
    assert (game.home_team, game.home_score) == ("New England Patriots", 7)
    assert (game.away_team, game.away_score) == ("Seattle Seahawks", 14)
    assert game.odds is None


def test_an_in_progress_game_keeps_no_score(espn_dir: Path) -> None:
    """Labelled transformation: the final turned back into a live game."""
    payload = load(espn_dir / NFL_FINAL)
    payload["events"][0]["status"]["type"].update(
        {"name": "STATUS_IN_PROGRESS", "state": "in", "completed": False}
    )
    (game,) = parse_scoreboard(payload)
    assert game.status is GameStatus.IN_PROGRESS
    assert game.home_score is None and game.away_score is None


def test_team_names_are_canonical_by_default(espn_dir: Path) -> None:
    """ESPN says "LA Clippers"; The Odds API (and so Benny) says "Los Angeles Clippers"."""
    payload = load(espn_dir / NBA_SUMMARY)
    teams, players = parse_summary(payload)
    assert {t.team for t in teams} == {"Los Angeles Clippers", "Minnesota Timberwolves"}
    assert "LA Clippers" not in {p.team for p in players}
    espn_teams, _ = parse_summary(payload, team_names=espn_display_name)
    assert {t.team for t in espn_teams} == {"LA Clippers", "Minnesota Timberwolves"}


def test_a_custom_namer_is_used_everywhere(espn_dir: Path) -> None:
    def shout(sport: Sport, name: str) -> str:
        return f"{sport.short}:{name.upper()}"

    games = parse_scoreboard(load(espn_dir / NBA_SCOREBOARD), team_names=shout)
    assert games[0].home_team == "nba:NEW YORK KNICKS"
    reports = parse_injuries(load(espn_dir / NBA_INJURIES), seen_at=FETCHED_AT, team_names=shout)
    assert reports[0].team == "nba:ATLANTA HAWKS"


def test_summary_box_score(espn_dir: Path) -> None:
    payload, recorder, _ = fetch(
        serve(espn_dir / NBA_SUMMARY),
        lambda http, sleep: fetch_summary(http, Sport.NBA, "401705066", sleep=sleep),
    )
    assert recorder.requests[0].url.path == "/apis/site/v2/sports/basketball/nba/summary"
    assert dict(recorder.requests[0].url.params) == {"event": "401705066"}

    teams, players = parse_summary(payload)
    by_team = {t.team: t for t in teams}
    clippers, wolves = by_team["Los Angeles Clippers"], by_team["Minnesota Timberwolves"]
    assert (clippers.is_home, clippers.points, clippers.espn_team_id) == (False, 78, "12")
    assert (wolves.is_home, wolves.points, wolves.espn_team_id) == (True, 87, "16")
    assert {t.game_status for t in teams} == {GameStatus.IN_PROGRESS}  # a partial box score
    assert clippers.stats["fieldGoalsMade"] == 27 and clippers.stats["fieldGoalsAttempted"] == 72
    assert clippers.stats["fieldGoalPct"] == 37.5
    assert clippers.stats["totalRebounds"] == 41

    assert len(players) == 28
    assert Counter(p.did_not_play for p in players) == {False: 19, True: 9}
    kawhi = next(p for p in players if p.player_name == "Kawhi Leonard")
    assert (kawhi.espn_athlete_id, kawhi.team, kawhi.position, kawhi.starter) == (
        "6450",
        "Los Angeles Clippers",
        "SF",
        True,
    )
    assert kawhi.minutes == 21.0
    assert dict(kawhi.stats) == {
        "fieldGoalsMade": 3.0,
        "fieldGoalsAttempted": 11.0,
        "threePointFieldGoalsMade": 2.0,
        "threePointFieldGoalsAttempted": 5.0,
        "freeThrowsMade": 0.0,
        "freeThrowsAttempted": 0.0,
        "offensiveRebounds": 1.0,
        "defensiveRebounds": 1.0,
        "rebounds": 2.0,
        "assists": 2.0,
        "steals": 1.0,
        "blocks": 0.0,
        "turnovers": 1.0,
        "fouls": 1.0,
        "plusMinus": -17.0,
        "points": 8.0,
    }
    benched = next(p for p in players if p.player_name == "Kobe Brown")
    assert benched.did_not_play and benched.minutes is None and dict(benched.stats) == {}
    # The player lines add up to the box score's own totals row (78 and 85). Mid-game the
    # header's score can run ahead of the box score: it says 87 for Minnesota.
    points = Counter[str]()
    for player in players:
        points[player.team] += int(player.stats.get("points", 0.0))
    assert points == {"Los Angeles Clippers": 78, "Minnesota Timberwolves": 85}


def test_nfl_style_categories_merge_per_player() -> None:
    """SYNTHETIC fixture (no NFL summary is in the shared data): the shape of ESPN's NFL box
    score, where a player appears once per category (passing, rushing) and C/ATT uses '/'."""
    payload: dict[str, Any] = {
        "header": {
            "id": "401671834",
            "league": {"slug": "nfl"},
            "competitions": [
                {
                    "status": {"type": {"name": "STATUS_FINAL", "state": "post", "completed": True}},
                    "competitors": [
                        {
                            "homeAway": "home",
                            "score": "35",
                            "team": {"id": "33", "displayName": "Baltimore Ravens"},
                        },
                        {
                            "homeAway": "away",
                            "score": "10",
                            "team": {"id": "5", "displayName": "Cleveland Browns"},
                        },
                    ],
                }
            ],
        },
        "boxscore": {
            "teams": [
                {
                    "team": {"id": "33", "displayName": "Baltimore Ravens"},
                    "statistics": [
                        {"name": "totalYards", "displayValue": "412"},
                        {"name": "possessionTime", "displayValue": "31:30"},
                        {"name": "thirdDownEff", "displayValue": "4-12"},
                    ],
                }
            ],
            "players": [
                {
                    "team": {"id": "33", "displayName": "Baltimore Ravens"},
                    "statistics": [
                        {
                            "name": "passing",
                            "keys": ["completions/passingAttempts", "passingYards", "sacks-sackYardsLost"],
                            "athletes": [
                                {
                                    "athlete": {"id": "3916387", "displayName": "Lamar Jackson"},
                                    "stats": ["20/30", "250", "2-14"],
                                }
                            ],
                        },
                        {
                            "name": "rushing",
                            "keys": ["rushingAttempts", "rushingYards"],
                            "athletes": [
                                {
                                    "athlete": {"id": "3916387", "displayName": "Lamar Jackson"},
                                    "stats": ["9", "71"],
                                },
                                {
                                    "athlete": {"id": "3043078", "displayName": "Derrick Henry"},
                                    "stats": ["21", "138"],
                                },
                            ],
                        },
                    ],
                }
            ],
        },
    }
    teams, players = parse_summary(payload)
    (ravens,) = teams
    assert (ravens.sport, ravens.points, ravens.is_home, ravens.game_status) == (
        Sport.NFL,
        35,
        True,
        GameStatus.FINAL,
    )
    assert ravens.stats["possessionTime"] == pytest.approx(31.5)
    assert "thirdDownEff" not in ravens.stats  # a pair without named halves is not guessed
    lamar = next(p for p in players if p.player_name == "Lamar Jackson")
    assert dict(lamar.stats) == {
        "passing.completions": 20.0,
        "passing.passingAttempts": 30.0,
        "passing.passingYards": 250.0,
        "passing.sacks": 2.0,
        "passing.sackYardsLost": 14.0,
        "rushing.rushingAttempts": 9.0,
        "rushing.rushingYards": 71.0,
    }
    assert lamar.minutes is None and lamar.starter is None
    assert len(players) == 2


def test_injuries(espn_dir: Path) -> None:
    payload, recorder, _ = fetch(
        serve(espn_dir / NBA_INJURIES), lambda http, sleep: fetch_injuries(http, Sport.NBA, sleep=sleep)
    )
    assert recorder.requests[0].url.path == "/apis/site/v2/sports/basketball/nba/injuries"
    reports = parse_injuries(payload, seen_at=FETCHED_AT)
    assert len(reports) == 127
    assert len({r.team for r in reports}) == 27
    assert {r.sport for r in reports} == {Sport.NBA}
    assert {r.status for r in reports} == {InjuryStatus.OUT}
    assert {r.status_raw for r in reports} == {"Out"}
    assert all(r.espn_athlete_id and r.espn_athlete_id.isdigit() for r in reports)
    assert all(r.seen_at == FETCHED_AT for r in reports)
    first = reports[0]
    assert (first.team, first.espn_team_id, first.player_name) == ("Atlanta Hawks", "1", "Keshon Gilbert")
    assert (first.espn_athlete_id, first.position) == ("4585618", "G")
    assert first.reported_at == datetime(2026, 4, 22, 21, 37, tzinfo=UTC)
    assert first.short_comment.startswith("Gilbert signed a two-way contract")
    assert first.expected_return == date(2026, 7, 2)


def test_injury_statuses_other_than_out(espn_dir: Path) -> None:
    """Labelled transformation: rewrite the first four statuses (the snapshot has only 'Out')."""
    payload = load(espn_dir / NBA_INJURIES)
    entries = [i for team in payload["injuries"] for i in team["injuries"]][:4]
    for entry, status in zip(entries, ["Day-To-Day", "Questionable", "Suspension", "Doubtful"], strict=True):
        entry["status"] = status
    reports = parse_injuries(payload, seen_at=FETCHED_AT)
    assert [r.status for r in reports[:4]] == [
        InjuryStatus.DAY_TO_DAY,
        InjuryStatus.QUESTIONABLE,
        InjuryStatus.OTHER,
        InjuryStatus.DOUBTFUL,
    ]
    assert reports[2].status_raw == "Suspension"


# --- sport detection and shape errors ------------------------------------------------------------


def test_sport_comes_from_the_payload_or_the_caller(espn_dir: Path) -> None:
    payload = load(espn_dir / NBA_SCOREBOARD)
    del payload["leagues"]
    with pytest.raises(UpstreamError, match="pass sport="):
        parse_scoreboard(payload)
    assert len(parse_scoreboard(payload, sport=Sport.NBA)) == 11


def test_not_an_object_is_an_upstream_error() -> None:
    with pytest.raises(UpstreamError, match="expected a JSON object"):
        parse_scoreboard([])
    with pytest.raises(UpstreamError, match="expected a JSON object"):
        parse_summary("nope")
    with pytest.raises(UpstreamError, match="expected a JSON object"):
        parse_injuries(None, seen_at=FETCHED_AT)


def test_injuries_need_an_aware_seen_at(espn_dir: Path) -> None:
    with pytest.raises(InvalidInput, match="seen_at"):
        parse_injuries(load(espn_dir / NBA_INJURIES), seen_at=datetime(2026, 6, 15))


def test_a_broken_event_is_skipped_not_fatal(espn_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Labelled transformation: one event loses its away competitor."""
    payload = load(espn_dir / NFL_SCOREBOARD)
    broken = copy.deepcopy(payload)
    competitors = broken["events"][3]["competitions"][0]["competitors"]
    broken["events"][3]["competitions"][0]["competitors"] = [
        c for c in competitors if c["homeAway"] == "home"
    ]
    with caplog.at_level(logging.WARNING, logger="core.collectors.espn_parse"):
        games = parse_scoreboard(broken)
    assert len(games) == 15
    assert "skipped 1" in caplog.text
