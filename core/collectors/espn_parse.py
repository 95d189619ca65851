"""ESPN's public site API, parsed: scoreboards, game summaries (box scores) and injury reports.

``parse_scoreboard``, ``parse_summary`` and ``parse_injuries`` take the payloads that
``core.collectors.espn_client`` fetches (or replayed ones); they are pure and return the
frozen values of ``core.game_reports``. The sport is read from the payload (league slug or uid) unless
given. Team names go through ``team_names`` (``(sport, espn_name) -> name``). The default,
``canonical_or_display``, gives The Odds API's names from ``core.teams`` ("LA Clippers" → "Los
Angeles Clippers") and keeps ESPN's name for a team the catalog lacks; pass
``espn_display_name`` to keep ESPN's names throughout. Both namers, and the lenient field
readers everything here is built on, are in ``core.collectors.espn_fields``.

Quirks of the real payloads this handles:
- Scheduled games carry ``score: "0"``; scores are kept only for finals.
- The event-level ``status`` and the competition-level one can disagree (a real Super Bowl
  payload has the event ``STATUS_FINAL``/completed and the competition ``STATUS_IN_PROGRESS``
  with state ``post``); the event-level status wins.
- ``odds[].spread`` is the home team's handicap in both the 2024 and 2026 shapes.
- Injury ``athlete`` objects have no ``id``; it is recovered from the athlete's links/uid.
- Box-score ``reason`` says "COACH'S DECISION" for players who played; it is not used.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from core.collectors.espn_client import PROVIDER
from core.collectors.espn_fields import (
    SPORT_BY_SLUG,
    TeamNamer,
    as_float,
    as_id,
    as_list,
    as_obj,
    as_str,
    canonical_or_display,
    competitor_score,
    normalise_game_status,
    normalise_injury_status,
    parse_stat_value,
    require_sport,
    sport_from_uid,
)
from core.collectors.http import parse_timestamp
from core.errors import InvalidInput, UpstreamError
from core.game_reports import EspnGame, EspnOdds, GameStatus, InjuryReport, PlayerGameLine, TeamGameStats
from core.odds import american_to_decimal
from core.sports import Sport

__all__ = ["parse_injuries", "parse_scoreboard", "parse_summary"]

logger = logging.getLogger(__name__)

_ATHLETE_IN_UID = re.compile(r"(?:^|~)a:(\d+)")
_ATHLETE_IN_URL = re.compile(r"/id/(\d+)(?:/|$)")


# --- shape and skips -------------------------------------------------------------------------


def _top(payload: Any, what: str) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise UpstreamError(f"{PROVIDER} {what}: expected a JSON object, got {type(payload).__name__}")
    return payload


def _report(what: str, produced: int, skipped: Counter[str]) -> None:
    if skipped:
        logger.warning(
            "%s %s: parsed %d, skipped %d (%s)",
            PROVIDER,
            what,
            produced,
            sum(skipped.values()),
            ", ".join(f"{reason}: {n}" for reason, n in skipped.most_common()),
            extra={"provider": PROVIDER, "parsed": produced, "skipped": dict(skipped)},
        )


# --- scoreboard --------------------------------------------------------------------------------


def _moneyline_decimal(text: Any) -> float | None:
    raw = as_str(text).upper() if not isinstance(text, int | float) else str(text)
    if raw in {"EVEN", "EV"}:
        return 2.0
    try:
        return float(american_to_decimal(float(raw)))
    except (ValueError, InvalidInput):
        return None


def _espn_odds(competition: Mapping[str, Any]) -> EspnOdds | None:
    odds_list = as_list(competition.get("odds"))
    if not odds_list:
        return None
    raw = as_obj(odds_list[0])
    provider = as_obj(raw.get("provider"))
    name = as_str(provider.get("displayName")) or as_str(provider.get("name"))
    if not name:
        return None
    moneyline = as_obj(raw.get("moneyline"))
    home_ml = _moneyline_decimal(as_obj(as_obj(moneyline.get("home")).get("close")).get("odds"))
    away_ml = _moneyline_decimal(as_obj(as_obj(moneyline.get("away")).get("close")).get("odds"))
    if home_ml is None and away_ml is None:  # older shape: a number on each team's odds
        home_ml = _moneyline_decimal(as_obj(raw.get("homeTeamOdds")).get("moneyLine"))
        away_ml = _moneyline_decimal(as_obj(raw.get("awayTeamOdds")).get("moneyLine"))
    total = as_float(raw.get("overUnder"))
    try:
        return EspnOdds(
            provider=name,
            home_spread_points=as_float(raw.get("spread")),
            total_points=total if total is not None and total > 0 else None,
            home_moneyline_decimal=home_ml if home_ml is not None and home_ml > 1 else None,
            away_moneyline_decimal=away_ml if away_ml is not None and away_ml > 1 else None,
        )
    except InvalidInput:
        return None


def _competitors(competition: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    by_side = {
        as_str(c.get("homeAway")): c for c in as_list(competition.get("competitors")) if isinstance(c, dict)
    }
    if "home" not in by_side or "away" not in by_side:
        raise InvalidInput("competition without a home and an away competitor")
    return by_side["home"], by_side["away"]


def _game(event: Mapping[str, Any], sport: Sport, team_names: TeamNamer) -> EspnGame:
    competition = as_obj(as_list(event.get("competitions"))[0]) if as_list(event.get("competitions")) else {}
    home, away = _competitors(competition)
    event_status = as_obj(as_obj(event.get("status")).get("type"))
    competition_status = as_obj(as_obj(competition.get("status")).get("type"))
    status_type = event_status or competition_status
    status = normalise_game_status(status_type)
    if event_status and competition_status and normalise_game_status(competition_status) is not status:
        logger.debug(
            "ESPN event %s: event status %s, competition status %s; using the event's",
            event.get("id"),
            event_status.get("name"),
            competition_status.get("name"),
        )
    home_team, away_team = as_obj(home.get("team")), as_obj(away.get("team"))
    home_score = away_score = None
    if status is GameStatus.FINAL:
        home_score, away_score = competitor_score(home), competitor_score(away)
        if home_score is None or away_score is None:
            home_score = away_score = None
    return EspnGame(
        espn_id=as_id(event.get("id")),
        sport=sport,
        start_time=parse_timestamp(event.get("date") or competition.get("date")),
        home_team=team_names(sport, as_str(home_team.get("displayName"))),
        away_team=team_names(sport, as_str(away_team.get("displayName"))),
        home_espn_team_id=as_id(home_team.get("id")) or as_id(home.get("id")),
        away_espn_team_id=as_id(away_team.get("id")) or as_id(away.get("id")),
        status=status,
        status_detail=as_str(status_type.get("detail")) or as_str(status_type.get("description")),
        home_score=home_score,
        away_score=away_score,
        odds=_espn_odds(competition),
    )


def parse_scoreboard(
    payload: Any, *, sport: Sport | None = None, team_names: TeamNamer = canonical_or_display
) -> list[EspnGame]:
    """The games on a scoreboard: status, ESPN ids, teams, the final score (finals only) and
    ESPN's single odds line when present."""
    top = _top(payload, "scoreboard")
    league = as_obj(as_list(top.get("leagues"))[0]) if as_list(top.get("leagues")) else {}
    found = SPORT_BY_SLUG.get(as_str(league.get("slug"))) or sport_from_uid(league.get("uid"))
    resolved = require_sport(found, sport, "scoreboard")
    games: list[EspnGame] = []
    skipped: Counter[str] = Counter()
    for event in as_list(top.get("events")):
        try:
            games.append(_game(as_obj(event), resolved, team_names))
        except InvalidInput:
            skipped["invalid event"] += 1
    _report("scoreboard", len(games), skipped)
    return games


# --- summary (box score) ----------------------------------------------------------------------


def _summary_context(
    top: Mapping[str, Any], given: Sport | None
) -> tuple[str, Sport, GameStatus, dict[str, Any]]:
    """Event id, sport, status and team-id → competitor from the summary's header."""
    header = as_obj(top.get("header"))
    league = as_obj(header.get("league"))
    found = (
        SPORT_BY_SLUG.get(as_str(league.get("slug")))
        or sport_from_uid(league.get("uid"))
        or sport_from_uid(header.get("uid"))
    )
    sport = require_sport(found, given, "summary")
    competitions = as_list(header.get("competitions"))
    competition = as_obj(competitions[0]) if competitions else {}
    event_id = as_id(header.get("id")) or as_id(competition.get("id"))
    if not event_id:
        raise UpstreamError(f"{PROVIDER} summary: no event id in the header")
    status = normalise_game_status(as_obj(as_obj(competition.get("status")).get("type")))
    by_team: dict[str, Any] = {}
    for competitor in as_list(competition.get("competitors")):
        competitor = as_obj(competitor)
        team_id = as_id(as_obj(competitor.get("team")).get("id")) or as_id(competitor.get("id"))
        if team_id:
            by_team[team_id] = competitor
    return event_id, sport, status, by_team


def _team_stats(
    raw: Mapping[str, Any],
    event_id: str,
    sport: Sport,
    status: GameStatus,
    competitors: Mapping[str, Any],
    team_names: TeamNamer,
) -> TeamGameStats:
    team = as_obj(raw.get("team"))
    team_id = as_id(team.get("id"))
    stats: dict[str, float] = {}
    for stat in as_list(raw.get("statistics")):
        stat = as_obj(stat)
        key = as_str(stat.get("name"))
        if key:
            stats.update(parse_stat_value(key, stat.get("displayValue")))
    competitor = as_obj(competitors.get(team_id))
    home_away = as_str(competitor.get("homeAway")) or as_str(raw.get("homeAway"))
    return TeamGameStats(
        espn_event_id=event_id,
        sport=sport,
        team=team_names(sport, as_str(team.get("displayName"))),
        espn_team_id=team_id,
        is_home=home_away == "home",
        game_status=status,
        points=competitor_score(competitor),
        stats=stats,
    )


def _player_lines(
    raw: Mapping[str, Any],
    event_id: str,
    sport: Sport,
    status: GameStatus,
    team_names: TeamNamer,
    skipped: Counter[str],
) -> list[PlayerGameLine]:
    """One team's players, merged across stat categories (NFL lists a QB under passing and rushing)."""
    team = as_obj(raw.get("team"))
    team_id = as_id(team.get("id"))
    team_name = team_names(sport, as_str(team.get("displayName")))
    merged: dict[str, dict[str, Any]] = {}
    for category in as_list(raw.get("statistics")):
        category = as_obj(category)
        prefix = f"{as_str(category.get('name'))}." if as_str(category.get("name")) else ""
        keys = [as_str(k) for k in as_list(category.get("keys"))]
        for entry in as_list(category.get("athletes")):
            entry = as_obj(entry)
            athlete = as_obj(entry.get("athlete"))
            athlete_id = as_id(athlete.get("id"))
            name = as_str(athlete.get("displayName"))
            if not athlete_id or not name:
                skipped["player without id or name"] += 1
                continue
            line = merged.setdefault(
                athlete_id,
                {
                    "name": name,
                    "position": as_str(as_obj(athlete.get("position")).get("abbreviation")) or None,
                    "starter": entry.get("starter") if isinstance(entry.get("starter"), bool) else None,
                    "did_not_play": entry.get("didNotPlay") is True,
                    "minutes": None,
                    "stats": {},
                },
            )
            cells = as_list(entry.get("stats"))
            for key, cell in zip(keys, cells, strict=False):
                if not key:
                    continue
                values = parse_stat_value(key, cell)
                if key == "minutes" and not prefix:
                    line["minutes"] = values.get("minutes")
                    continue
                line["stats"].update({prefix + k: v for k, v in values.items()})
    lines: list[PlayerGameLine] = []
    for athlete_id, line in merged.items():
        try:
            lines.append(
                PlayerGameLine(
                    espn_event_id=event_id,
                    sport=sport,
                    team=team_name,
                    espn_team_id=team_id,
                    player_name=line["name"],
                    espn_athlete_id=athlete_id,
                    position=line["position"],
                    starter=line["starter"],
                    did_not_play=line["did_not_play"],
                    minutes=line["minutes"],
                    game_status=status,
                    stats=line["stats"],
                )
            )
        except InvalidInput:
            skipped["invalid player line"] += 1
    return lines


def parse_summary(
    payload: Any, *, sport: Sport | None = None, team_names: TeamNamer = canonical_or_display
) -> tuple[list[TeamGameStats], list[PlayerGameLine]]:
    """Team totals and player lines from a summary's box score.

    Each value carries the game's status: lines of a game in progress are partial and must not
    be stored as final. Players who did not play are included with ``did_not_play=True`` and
    no stats.
    """
    top = _top(payload, "summary")
    event_id, resolved, status, competitors = _summary_context(top, sport)
    boxscore = as_obj(top.get("boxscore"))
    skipped: Counter[str] = Counter()
    teams: list[TeamGameStats] = []
    for raw in as_list(boxscore.get("teams")):
        try:
            teams.append(_team_stats(as_obj(raw), event_id, resolved, status, competitors, team_names))
        except InvalidInput:
            skipped["invalid team stats"] += 1
    players: list[PlayerGameLine] = []
    for raw in as_list(boxscore.get("players")):
        players.extend(_player_lines(as_obj(raw), event_id, resolved, status, team_names, skipped))
    _report("summary", len(teams) + len(players), skipped)
    return teams, players


# --- injuries --------------------------------------------------------------------------------


def _athlete_id(athlete: Mapping[str, Any]) -> str | None:
    direct = as_id(athlete.get("id"))
    if direct:
        return direct
    match = _ATHLETE_IN_UID.search(as_str(athlete.get("uid")))
    if match:
        return match.group(1)
    for link in as_list(athlete.get("links")):
        href = as_str(as_obj(link).get("href"))
        found = _ATHLETE_IN_URL.search(href) or _ATHLETE_IN_UID.search(href)
        if found:
            return found.group(1)
    return None


def _return_date(details: Mapping[str, Any]) -> date | None:
    text = as_str(details.get("returnDate"))
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def parse_injuries(
    payload: Any,
    *,
    seen_at: datetime,
    sport: Sport | None = None,
    team_names: TeamNamer = canonical_or_display,
) -> list[InjuryReport]:
    """Every player on every team's injury list; ``seen_at`` is when the payload was fetched."""
    if seen_at.tzinfo is None:
        raise InvalidInput(f"seen_at must be timezone-aware, got {seen_at!r}")
    top = _top(payload, "injuries")
    team_entries = [as_obj(t) for t in as_list(top.get("injuries"))]
    found: Sport | None = None
    for entry in team_entries:
        for injury in as_list(entry.get("injuries")):
            found = found or sport_from_uid(
                as_obj(as_obj(as_obj(injury).get("athlete")).get("team")).get("uid")
            )
    if not team_entries:
        return []
    resolved = require_sport(found, sport, "injuries")
    reports: list[InjuryReport] = []
    skipped: Counter[str] = Counter()
    for entry in team_entries:
        for injury in as_list(entry.get("injuries")):
            injury = as_obj(injury)
            athlete = as_obj(injury.get("athlete"))
            athlete_team = as_obj(athlete.get("team"))
            team_display = as_str(entry.get("displayName")) or as_str(athlete_team.get("displayName"))
            status_raw = as_str(injury.get("status")) or as_str(as_obj(injury.get("type")).get("description"))
            try:
                reports.append(
                    InjuryReport(
                        sport=resolved,
                        team=team_names(resolved, team_display),
                        player_name=as_str(athlete.get("displayName")),
                        espn_athlete_id=_athlete_id(athlete),
                        position=as_str(as_obj(athlete.get("position")).get("abbreviation")) or None,
                        status=normalise_injury_status(status_raw),
                        status_raw=status_raw,
                        short_comment=as_str(injury.get("shortComment")),
                        reported_at=parse_timestamp(injury.get("date")),
                        seen_at=seen_at,
                        espn_team_id=as_id(entry.get("id")) or as_id(athlete_team.get("id")) or None,
                        expected_return=_return_date(as_obj(injury.get("details"))),
                    )
                )
            except InvalidInput:
                skipped["invalid injury"] += 1
    _report("injuries", len(reports), skipped)
    return reports
