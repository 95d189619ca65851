"""ESPN's public site API, parsed: scoreboards, game summaries (box scores) and injury reports.

``parse_scoreboard``, ``parse_summary`` and ``parse_injuries`` take the payloads that
``core.collectors.espn_client`` fetches (or replayed ones); they are pure and return the
frozen values of ``core.stats``. The sport is read from the payload (league slug or uid) unless
given. Team names go through ``team_names`` (``(sport, espn_name) -> name``). The default,
``canonical_or_display``, gives The Odds API's names from ``core.teams`` ("LA Clippers" → "Los
Angeles Clippers") and keeps ESPN's name for a team the catalog lacks; pass
``espn_display_name`` to keep ESPN's names throughout.

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
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from core.collectors.espn_client import PROVIDER, SPORT_PATHS
from core.collectors.http import parse_timestamp
from core.errors import InvalidInput, UpstreamError
from core.odds import american_to_decimal
from core.sports import Sport
from core.stats import (
    EspnGame,
    EspnOdds,
    GameStatus,
    InjuryReport,
    InjuryStatus,
    PlayerGameLine,
    TeamGameStats,
)
from core.teams import canonical_team

__all__ = [
    "TeamNamer",
    "canonical_or_display",
    "espn_display_name",
    "normalise_game_status",
    "normalise_injury_status",
    "parse_injuries",
    "parse_scoreboard",
    "parse_stat_value",
    "parse_summary",
]

logger = logging.getLogger(__name__)

# A payload's league slug is the last part of the sport's path: "nba", "nfl", ..., "eng.1".
_SPORT_BY_SLUG = {path.rsplit("/", 1)[1]: sport for sport, path in SPORT_PATHS.items()}
# ESPN uids look like "s:40~l:46~t:12": l is the league (46 NBA, 28 NFL, 10 MLB, 90 NHL, 700 EPL).
_SPORT_BY_LEAGUE_ID = {"46": Sport.NBA, "28": Sport.NFL, "10": Sport.MLB, "90": Sport.NHL, "700": Sport.EPL}
_LEAGUE_IN_UID = re.compile(r"(?:^|~)l:(\d+)")
_ATHLETE_IN_UID = re.compile(r"(?:^|~)a:(\d+)")
_ATHLETE_IN_URL = re.compile(r"/id/(\d+)(?:/|$)")
_CLOCK = re.compile(r"^(\d+):([0-5]\d)$")

TeamNamer = Callable[[Sport, str], str]


def espn_display_name(sport: Sport, name: str) -> str:
    """A team namer that keeps ESPN's display name unchanged."""
    return name


def canonical_or_display(sport: Sport, name: str) -> str:
    """The default team namer: the canonical (Odds API) name from ``core.teams`` when the
    catalog knows the spelling, else ESPN's name unchanged, so a team the catalog lacks (a
    newly promoted EPL club, say) still gets its games parsed; the store decides what to do."""
    try:
        return canonical_team(sport, name)
    except InvalidInput:
        logger.debug("ESPN team %r is not in the %s catalog; keeping ESPN's name", name, sport.title)
        return name


# --- small readers ---------------------------------------------------------------------------


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _id(value: Any) -> str:
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    return _str(value)


def _sport_from_uid(uid: Any) -> Sport | None:
    match = _LEAGUE_IN_UID.search(_str(uid))
    return _SPORT_BY_LEAGUE_ID.get(match.group(1)) if match else None


def _require_sport(found: Sport | None, given: Sport | None, what: str) -> Sport:
    if given is not None:
        return given
    if found is None:
        raise UpstreamError(f"{PROVIDER} {what}: cannot tell the sport from the payload; pass sport=")
    return found


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


# --- status -----------------------------------------------------------------------------------


def normalise_game_status(status_type: Mapping[str, Any]) -> GameStatus:
    """Map an ESPN ``status.type`` object (name, state, completed) to a ``GameStatus``."""
    name = _str(status_type.get("name")).upper()
    state = _str(status_type.get("state")).lower()
    if "POSTPONED" in name:
        return GameStatus.POSTPONED
    if "CANCELED" in name or "CANCELLED" in name or "FORFEIT" in name:
        return GameStatus.CANCELED
    if status_type.get("completed") is True or name.startswith("STATUS_FINAL") or name == "STATUS_FULL_TIME":
        return GameStatus.FINAL
    if state == "in":
        return GameStatus.IN_PROGRESS
    if state == "pre":
        return GameStatus.SCHEDULED
    return GameStatus.OTHER


_INJURY_WORDS = {
    "out": InjuryStatus.OUT,
    "o": InjuryStatus.OUT,
    "injured reserve": InjuryStatus.OUT,
    "ir": InjuryStatus.OUT,
    "out for season": InjuryStatus.OUT,
    "doubtful": InjuryStatus.DOUBTFUL,
    "d": InjuryStatus.DOUBTFUL,
    "questionable": InjuryStatus.QUESTIONABLE,
    "q": InjuryStatus.QUESTIONABLE,
    "probable": InjuryStatus.PROBABLE,
    "p": InjuryStatus.PROBABLE,
    "day to day": InjuryStatus.DAY_TO_DAY,
    "dtd": InjuryStatus.DAY_TO_DAY,
}


def normalise_injury_status(raw: str) -> InjuryStatus:
    """'Out', 'Day-To-Day', 'QUESTIONABLE', 'Injured Reserve'… → one ``InjuryStatus``.

    Anything unrecognised (suspensions, personal leave, new wording) is OTHER; the caller
    keeps the raw text next to it.
    """
    key = re.sub(r"[\s_\-]+", " ", raw.strip().lower())
    return _INJURY_WORDS.get(key, InjuryStatus.OTHER)


# --- stat values -------------------------------------------------------------------------------


def _number(text: str) -> float | None:
    cleaned = text.strip().rstrip("%")
    if not cleaned or cleaned in {"-", "--", "—"}:
        return None
    clock = _CLOCK.fullmatch(cleaned)
    if clock:  # "18:23" (time on ice, possession): minutes as a float
        return int(clock.group(1)) + int(clock.group(2)) / 60.0
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_stat_value(key: str, value: Any) -> dict[str, float]:
    """One box-score cell as named floats.

    ``("points", "8")`` → ``{"points": 8.0}``; made-attempted pairs split on the key's own
    separator: ``("fieldGoalsMade-fieldGoalsAttempted", "3-11")`` → both counts,
    ``("completions/passingAttempts", "20/30")`` likewise. Blank or non-numeric cells give ``{}``.
    """
    if isinstance(value, bool):
        return {}
    if isinstance(value, int | float):
        number = _number(str(value))
        return {key: number} if number is not None else {}
    text = _str(value)
    for separator in ("-", "/"):
        parts = key.split(separator)
        if len(parts) > 1:
            values = text.split(separator)
            if len(values) != len(parts):
                return {}
            numbers = [_number(v) for v in values]
            if any(n is None for n in numbers):
                return {}
            return {part: n for part, n in zip(parts, numbers, strict=True) if n is not None}
    number = _number(text)
    return {key: number} if number is not None else {}


# --- scoreboard --------------------------------------------------------------------------------


def _moneyline_decimal(text: Any) -> float | None:
    raw = _str(text).upper() if not isinstance(text, int | float) else str(text)
    if raw in {"EVEN", "EV"}:
        return 2.0
    try:
        return float(american_to_decimal(float(raw)))
    except (ValueError, InvalidInput):
        return None


def _float_or_none(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    return _number(_str(value))


def _espn_odds(competition: Mapping[str, Any]) -> EspnOdds | None:
    odds_list = _items(competition.get("odds"))
    if not odds_list:
        return None
    raw = _obj(odds_list[0])
    provider = _obj(raw.get("provider"))
    name = _str(provider.get("displayName")) or _str(provider.get("name"))
    if not name:
        return None
    moneyline = _obj(raw.get("moneyline"))
    home_ml = _moneyline_decimal(_obj(_obj(moneyline.get("home")).get("close")).get("odds"))
    away_ml = _moneyline_decimal(_obj(_obj(moneyline.get("away")).get("close")).get("odds"))
    if home_ml is None and away_ml is None:  # older shape: a number on each team's odds
        home_ml = _moneyline_decimal(_obj(raw.get("homeTeamOdds")).get("moneyLine"))
        away_ml = _moneyline_decimal(_obj(raw.get("awayTeamOdds")).get("moneyLine"))
    total = _float_or_none(raw.get("overUnder"))
    try:
        return EspnOdds(
            provider=name,
            home_spread_points=_float_or_none(raw.get("spread")),
            total_points=total if total is not None and total > 0 else None,
            home_moneyline_decimal=home_ml if home_ml is not None and home_ml > 1 else None,
            away_moneyline_decimal=away_ml if away_ml is not None and away_ml > 1 else None,
        )
    except InvalidInput:
        return None


def _competitors(competition: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    by_side = {
        _str(c.get("homeAway")): c for c in _items(competition.get("competitors")) if isinstance(c, dict)
    }
    if "home" not in by_side or "away" not in by_side:
        raise InvalidInput("competition without a home and an away competitor")
    return by_side["home"], by_side["away"]


def _score(competitor: Mapping[str, Any]) -> int | None:
    value = competitor.get("score")
    if isinstance(value, dict):  # some endpoints nest it: {"value": 7.0, "displayValue": "7"}
        value = value.get("displayValue", value.get("value"))
    number = _float_or_none(value)
    return int(number) if number is not None and number >= 0 and number == int(number) else None


def _game(event: Mapping[str, Any], sport: Sport, team_names: TeamNamer) -> EspnGame:
    competition = _obj(_items(event.get("competitions"))[0]) if _items(event.get("competitions")) else {}
    home, away = _competitors(competition)
    event_status = _obj(_obj(event.get("status")).get("type"))
    competition_status = _obj(_obj(competition.get("status")).get("type"))
    status_type = event_status or competition_status
    status = normalise_game_status(status_type)
    if event_status and competition_status and normalise_game_status(competition_status) is not status:
        logger.debug(
            "ESPN event %s: event status %s, competition status %s; using the event's",
            event.get("id"),
            event_status.get("name"),
            competition_status.get("name"),
        )
    home_team, away_team = _obj(home.get("team")), _obj(away.get("team"))
    home_score = away_score = None
    if status is GameStatus.FINAL:
        home_score, away_score = _score(home), _score(away)
        if home_score is None or away_score is None:
            home_score = away_score = None
    return EspnGame(
        espn_id=_id(event.get("id")),
        sport=sport,
        start_time=parse_timestamp(event.get("date") or competition.get("date")),
        home_team=team_names(sport, _str(home_team.get("displayName"))),
        away_team=team_names(sport, _str(away_team.get("displayName"))),
        home_espn_team_id=_id(home_team.get("id")) or _id(home.get("id")),
        away_espn_team_id=_id(away_team.get("id")) or _id(away.get("id")),
        status=status,
        status_detail=_str(status_type.get("detail")) or _str(status_type.get("description")),
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
    league = _obj(_items(top.get("leagues"))[0]) if _items(top.get("leagues")) else {}
    found = _SPORT_BY_SLUG.get(_str(league.get("slug"))) or _sport_from_uid(league.get("uid"))
    resolved = _require_sport(found, sport, "scoreboard")
    games: list[EspnGame] = []
    skipped: Counter[str] = Counter()
    for event in _items(top.get("events")):
        try:
            games.append(_game(_obj(event), resolved, team_names))
        except InvalidInput:
            skipped["invalid event"] += 1
    _report("scoreboard", len(games), skipped)
    return games


# --- summary (box score) ----------------------------------------------------------------------


def _summary_context(
    top: Mapping[str, Any], given: Sport | None
) -> tuple[str, Sport, GameStatus, dict[str, Any]]:
    """Event id, sport, status and team-id → competitor from the summary's header."""
    header = _obj(top.get("header"))
    league = _obj(header.get("league"))
    found = (
        _SPORT_BY_SLUG.get(_str(league.get("slug")))
        or _sport_from_uid(league.get("uid"))
        or _sport_from_uid(header.get("uid"))
    )
    sport = _require_sport(found, given, "summary")
    competitions = _items(header.get("competitions"))
    competition = _obj(competitions[0]) if competitions else {}
    event_id = _id(header.get("id")) or _id(competition.get("id"))
    if not event_id:
        raise UpstreamError(f"{PROVIDER} summary: no event id in the header")
    status = normalise_game_status(_obj(_obj(competition.get("status")).get("type")))
    by_team: dict[str, Any] = {}
    for competitor in _items(competition.get("competitors")):
        competitor = _obj(competitor)
        team_id = _id(_obj(competitor.get("team")).get("id")) or _id(competitor.get("id"))
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
    team = _obj(raw.get("team"))
    team_id = _id(team.get("id"))
    stats: dict[str, float] = {}
    for stat in _items(raw.get("statistics")):
        stat = _obj(stat)
        key = _str(stat.get("name"))
        if key:
            stats.update(parse_stat_value(key, stat.get("displayValue")))
    competitor = _obj(competitors.get(team_id))
    home_away = _str(competitor.get("homeAway")) or _str(raw.get("homeAway"))
    return TeamGameStats(
        espn_event_id=event_id,
        sport=sport,
        team=team_names(sport, _str(team.get("displayName"))),
        espn_team_id=team_id,
        is_home=home_away == "home",
        game_status=status,
        points=_score(competitor),
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
    team = _obj(raw.get("team"))
    team_id = _id(team.get("id"))
    team_name = team_names(sport, _str(team.get("displayName")))
    merged: dict[str, dict[str, Any]] = {}
    for category in _items(raw.get("statistics")):
        category = _obj(category)
        prefix = f"{_str(category.get('name'))}." if _str(category.get("name")) else ""
        keys = [_str(k) for k in _items(category.get("keys"))]
        for entry in _items(category.get("athletes")):
            entry = _obj(entry)
            athlete = _obj(entry.get("athlete"))
            athlete_id = _id(athlete.get("id"))
            name = _str(athlete.get("displayName"))
            if not athlete_id or not name:
                skipped["player without id or name"] += 1
                continue
            line = merged.setdefault(
                athlete_id,
                {
                    "name": name,
                    "position": _str(_obj(athlete.get("position")).get("abbreviation")) or None,
                    "starter": entry.get("starter") if isinstance(entry.get("starter"), bool) else None,
                    "did_not_play": entry.get("didNotPlay") is True,
                    "minutes": None,
                    "stats": {},
                },
            )
            cells = _items(entry.get("stats"))
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
    boxscore = _obj(top.get("boxscore"))
    skipped: Counter[str] = Counter()
    teams: list[TeamGameStats] = []
    for raw in _items(boxscore.get("teams")):
        try:
            teams.append(_team_stats(_obj(raw), event_id, resolved, status, competitors, team_names))
        except InvalidInput:
            skipped["invalid team stats"] += 1
    players: list[PlayerGameLine] = []
    for raw in _items(boxscore.get("players")):
        players.extend(_player_lines(_obj(raw), event_id, resolved, status, team_names, skipped))
    _report("summary", len(teams) + len(players), skipped)
    return teams, players


# --- injuries --------------------------------------------------------------------------------


def _athlete_id(athlete: Mapping[str, Any]) -> str | None:
    direct = _id(athlete.get("id"))
    if direct:
        return direct
    match = _ATHLETE_IN_UID.search(_str(athlete.get("uid")))
    if match:
        return match.group(1)
    for link in _items(athlete.get("links")):
        href = _str(_obj(link).get("href"))
        found = _ATHLETE_IN_URL.search(href) or _ATHLETE_IN_UID.search(href)
        if found:
            return found.group(1)
    return None


def _return_date(details: Mapping[str, Any]) -> date | None:
    text = _str(details.get("returnDate"))
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
    team_entries = [_obj(t) for t in _items(top.get("injuries"))]
    found: Sport | None = None
    for entry in team_entries:
        for injury in _items(entry.get("injuries")):
            found = found or _sport_from_uid(_obj(_obj(_obj(injury).get("athlete")).get("team")).get("uid"))
    if not team_entries:
        return []
    resolved = _require_sport(found, sport, "injuries")
    reports: list[InjuryReport] = []
    skipped: Counter[str] = Counter()
    for entry in team_entries:
        for injury in _items(entry.get("injuries")):
            injury = _obj(injury)
            athlete = _obj(injury.get("athlete"))
            athlete_team = _obj(athlete.get("team"))
            team_display = _str(entry.get("displayName")) or _str(athlete_team.get("displayName"))
            status_raw = _str(injury.get("status")) or _str(_obj(injury.get("type")).get("description"))
            try:
                reports.append(
                    InjuryReport(
                        sport=resolved,
                        team=team_names(resolved, team_display),
                        player_name=_str(athlete.get("displayName")),
                        espn_athlete_id=_athlete_id(athlete),
                        position=_str(_obj(athlete.get("position")).get("abbreviation")) or None,
                        status=normalise_injury_status(status_raw),
                        status_raw=status_raw,
                        short_comment=_str(injury.get("shortComment")),
                        reported_at=parse_timestamp(injury.get("date")),
                        seen_at=seen_at,
                        espn_team_id=_id(entry.get("id")) or _id(athlete_team.get("id")) or None,
                        expected_return=_return_date(_obj(injury.get("details"))),
                    )
                )
            except InvalidInput:
                skipped["invalid injury"] += 1
    _report("injuries", len(reports), skipped)
    return reports
