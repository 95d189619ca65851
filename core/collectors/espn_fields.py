"""ESPN's JSON, field by field: the lenient readers ``core.collectors.espn_parse`` is built on.

Every reader takes whatever the payload holds and never raises on a wrong type: a missing
object reads as ``{}``, a missing list as ``[]``, missing text as ``""``. Here too are the
sport behind a league slug or uid, ESPN's status and injury words, box-score cells, and the
team namers (``TeamNamer``: ``(sport, espn_name) -> name``) the parsers take.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from core.collectors.espn_client import PROVIDER, SPORT_PATHS
from core.errors import InvalidInput, UpstreamError
from core.game_reports import GameStatus, InjuryStatus
from core.sports import Sport
from core.teams import canonical_team

__all__ = [
    "SPORT_BY_SLUG",
    "TeamNamer",
    "as_float",
    "as_id",
    "as_list",
    "as_obj",
    "as_str",
    "canonical_or_display",
    "competitor_score",
    "espn_display_name",
    "normalise_game_status",
    "normalise_injury_status",
    "parse_stat_value",
    "require_sport",
    "sport_from_uid",
]

logger = logging.getLogger(__name__)

# A payload's league slug is the last part of the sport's path: "nba", "nfl", ..., "eng.1".
SPORT_BY_SLUG = {path.rsplit("/", 1)[1]: sport for sport, path in SPORT_PATHS.items()}
# ESPN uids look like "s:40~l:46~t:12": l is the league (46 NBA, 28 NFL, 10 MLB, 90 NHL, 700 EPL).
_SPORT_BY_LEAGUE_ID = {"46": Sport.NBA, "28": Sport.NFL, "10": Sport.MLB, "90": Sport.NHL, "700": Sport.EPL}
_LEAGUE_IN_UID = re.compile(r"(?:^|~)l:(\d+)")
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


# --- lenient readers -------------------------------------------------------------------------


def as_obj(value: Any) -> dict[str, Any]:
    """The value if it is a JSON object, else an empty one: a missing branch reads as empty."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """The value if it is a JSON list, else an empty one."""
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str:
    """The value stripped if it is text, else ``""``."""
    return value.strip() if isinstance(value, str) else ""


def as_id(value: Any) -> str:
    """An ESPN id, sent as text or as a number, as text; ``""`` when there is none."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    return as_str(value)


def as_float(value: Any) -> float | None:
    """A number sent as a number or as text (``"-3.5"``, ``"18:23"``), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    return _number(as_str(value))


def competitor_score(competitor: Mapping[str, Any]) -> int | None:
    """A competitor's score as a whole number >= 0, flat or nested, else None."""
    value = competitor.get("score")
    if isinstance(value, dict):  # some endpoints nest it: {"value": 7.0, "displayValue": "7"}
        value = value.get("displayValue", value.get("value"))
    number = as_float(value)
    return int(number) if number is not None and number >= 0 and number == int(number) else None


# --- which sport -----------------------------------------------------------------------------


def sport_from_uid(uid: Any) -> Sport | None:
    """The sport of a uid's league part (``l:46`` is the NBA), or None."""
    match = _LEAGUE_IN_UID.search(as_str(uid))
    return _SPORT_BY_LEAGUE_ID.get(match.group(1)) if match else None


def require_sport(found: Sport | None, given: Sport | None, what: str) -> Sport:
    """The caller's sport when given, else the payload's; ``UpstreamError`` when neither says."""
    if given is not None:
        return given
    if found is None:
        raise UpstreamError(f"{PROVIDER} {what}: cannot tell the sport from the payload; pass sport=")
    return found


# --- status ----------------------------------------------------------------------------------


def normalise_game_status(status_type: Mapping[str, Any]) -> GameStatus:
    """Map an ESPN ``status.type`` object (name, state, completed) to a ``GameStatus``."""
    name = as_str(status_type.get("name")).upper()
    state = as_str(status_type.get("state")).lower()
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


# --- stat values -----------------------------------------------------------------------------


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
    text = as_str(value)
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
