"""The simulated book's ESPN side: a league's injury report in the JSON ESPN's site API sends.

``injury_report(world, sport, now)`` is the payload of ``GET /apis/site/v2/sports/{league
path}/injuries`` (``ESPN_PATHS`` maps each path to its sport): every team with entries, each
entry with the athlete, team, status type and details ESPN's real reports carry, so
``core.collectors.espn_parse`` reads it as it reads ESPN's. ``SimbookTransport`` serves it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, Final

from core.sim.records import SimInjury
from core.sim.world import SimWorld, season_of
from core.sports import Sport

__all__ = ["ESPN_PATHS", "injury_report"]

ESPN_PATHS: Final[dict[str, Sport]] = {
    "basketball/nba": Sport.NBA,
    "football/nfl": Sport.NFL,
    "baseball/mlb": Sport.MLB,
    "hockey/nhl": Sport.NHL,
    "soccer/eng.1": Sport.EPL,
}
# ESPN's league ids in uids ("s:40~l:46~t:1"): sport id, league id, league slug for links.
_LEAGUE: Final[dict[Sport, tuple[int, int, str]]] = {
    Sport.NBA: (40, 46, "nba"),
    Sport.NFL: (20, 28, "nfl"),
    Sport.MLB: (1, 10, "mlb"),
    Sport.NHL: (70, 90, "nhl"),
    Sport.EPL: (600, 700, "soccer"),
}
# ESPN's injury type objects by status word; ids and abbreviations as the report uses them.
_TYPE: Final[dict[str, tuple[str, str, str, str]]] = {
    "Out": ("4", "INJURY_STATUS_OUT", "out", "O"),
    "Doubtful": ("3", "INJURY_STATUS_DOUBTFUL", "doubtful", "D"),
    "Questionable": ("2", "INJURY_STATUS_QUESTIONABLE", "questionable", "Q"),
    "Day-To-Day": ("5", "INJURY_STATUS_DAYTODAY", "day-to-day", "DTD"),
}


def _minute(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def _abbreviation(team: str) -> str:
    words = team.split()
    city = words[:-1] or words
    return (city[0][:3] if len(city) == 1 else "".join(w[0] for w in city))[:3].upper()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def injury_report(world: SimWorld, sport: Sport, now: datetime) -> dict[str, Any]:
    """The league's injury report at ``now`` as ESPN's ``/injuries`` answers it."""
    entries = world.injuries(sport, now)
    season = season_of(sport, now.astimezone(UTC).date())
    by_team: dict[int, list[SimInjury]] = {}
    for entry in entries:
        by_team.setdefault(entry.team_index, []).append(entry)
    teams = []
    for team_index in sorted(by_team, key=lambda i: by_team[i][0].team):
        team_entries = by_team[team_index]
        teams.append(
            {
                "id": str(team_index + 1),
                "displayName": team_entries[0].team,
                "injuries": [_injury(sport, e) for e in team_entries],
            }
        )
    payload: dict[str, Any] = {"timestamp": _iso(now), "status": "success"}
    if season is not None:
        payload["season"] = _season(world, sport, season, now)
    payload["injuries"] = teams
    return payload


def _season(world: SimWorld, sport: Sport, season: int, now: datetime) -> dict[str, Any]:
    league = world.season(sport, season)
    calendar = league.calendar
    today = now.astimezone(UTC).date()
    if today < calendar.regular_start:
        kind, name = 1, "Preseason"
    elif today <= calendar.regular_end:
        kind, name = 2, "Regular Season"
    else:
        kind, name = 3, "Postseason"
    # ESPN names winter seasons by the year they end, MLB and the NFL (and soccer) by the start.
    year = season + 1 if sport in (Sport.NBA, Sport.NHL) else season
    return {"year": year, "type": kind, "name": name, "displayName": calendar.label}


def _team(sport: Sport, team: str, team_index: int) -> dict[str, Any]:
    sport_id, league_id, slug = _LEAGUE[sport]
    team_id = str(team_index + 1)
    abbreviation = _abbreviation(team)
    return {
        "id": team_id,
        "uid": f"s:{sport_id}~l:{league_id}~t:{team_id}",
        "slug": _slug(team),
        "name": team.split()[-1],
        "abbreviation": abbreviation,
        "displayName": team,
        "logos": [
            {
                "href": f"https://a.espncdn.com/i/teamlogos/{slug}/500/{abbreviation.lower()}.png",
                "width": 500,
                "height": 500,
                "alt": "",
                "rel": ["full", "default"],
            }
        ],
        "links": [
            {
                "language": "en-US",
                "rel": ["clubhouse", "desktop", "team"],
                "href": f"https://www.espn.com/{slug}/team/_/name/{abbreviation.lower()}/{_slug(team)}",
                "text": "Clubhouse",
                "shortText": "Clubhouse",
                "isExternal": False,
                "isPremium": False,
            }
        ],
    }


def _injury(sport: Sport, entry: SimInjury) -> dict[str, Any]:
    _, _, slug = _LEAGUE[sport]
    name = f"{entry.first_name} {entry.last_name}"
    type_id, type_name, type_description, type_abbreviation = _TYPE[entry.status]
    fantasy = "OUT" if entry.status == "Out" else "GTD"
    updated = _minute(entry.updated_at)
    player_href = f"https://www.espn.com/{slug}/player/_/id/{entry.athlete_id}/{_slug(name)}"
    details: dict[str, Any] = {
        "fantasyStatus": {"description": fantasy, "abbreviation": fantasy},
        "type": entry.body_part,
        "location": entry.location,
        "detail": entry.detail,
        "side": entry.side,
        "returnDate": entry.expected_return.isoformat(),
    }
    return {
        "id": str(entry.injury_id),
        "longComment": entry.long_comment,
        "shortComment": entry.short_comment,
        "status": entry.status,
        "date": updated,
        "athlete": {
            "firstName": entry.first_name,
            "lastName": entry.last_name,
            "displayName": name,
            "shortName": f"{entry.first_name[0]}. {entry.last_name}",
            "links": [
                {
                    "language": "en-US",
                    "rel": ["playercard", "desktop", "athlete"],
                    "href": player_href,
                    "text": "Player Card",
                    "shortText": "Player Card",
                    "isExternal": False,
                    "isPremium": False,
                }
            ],
            "headshot": {
                "href": f"https://a.espncdn.com/i/headshots/{slug}/players/full/{entry.athlete_id}.png",
                "alt": name,
            },
            "position": {
                "id": str(sum(map(ord, entry.position_abbreviation)) % 97),
                "name": entry.position_name,
                "displayName": entry.position_name,
                "abbreviation": entry.position_abbreviation,
                "leaf": True,
            },
            "team": _team(sport, entry.team, entry.team_index),
            "notes": {
                "items": [
                    {
                        "id": str(entry.injury_id),
                        "type": "news",
                        "date": updated,
                        "headline": entry.short_comment,
                        "text": entry.long_comment,
                        "source": "Benny simulated wire",
                    }
                ]
            },
            "status": {"id": "1", "name": "Active", "type": "active", "abbreviation": "Active"},
        },
        "source": {"id": "1", "description": "basic/manual", "state": "basic"},
        "type": {
            "id": type_id,
            "name": type_name,
            "description": type_description,
            "abbreviation": type_abbreviation,
        },
        "details": details,
    }
