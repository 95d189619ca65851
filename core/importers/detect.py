"""Recognise a history file by its header line, and parse it with the right importer.

| format          | recognised by the columns                 | sport                        |
|-----------------|-------------------------------------------|------------------------------|
| ``football_data`` | ``HomeTeam``, ``AwayTeam``, ``FTHG``    | EPL                          |
| ``sbr``           | ``Rot``, ``VH``, ``Team``               | from the file name or caller |
| ``nflverse``      | ``game_id``, ``gameday``, ``spread_line`` | NFL                        |
| ``kaggle_nba``    | ``whos_favored``, ``moneyline_home``    | NBA                          |
| ``oddsapi_snapshots`` | ``game_id``, ``bookmaker``, ``ml_home`` | from its ``sport`` column |

Files are read as UTF-8 (a BOM is dropped) and, failing that, as latin-1, which decodes any
byte string: football-data's older files are latin-1.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Final

from core.errors import InvalidInput
from core.importers import football_data, kaggle_nba, nflverse, oddsapi_snapshots, sbr
from core.importers.base import ImportResult
from core.sports import Sport

__all__ = ["FORMATS", "detect_format", "parse_file", "parse_text", "read_text"]

# Format → the columns that identify it (all must be present).
_SIGNATURES: Final[dict[str, frozenset[str]]] = {
    football_data.FORMAT: frozenset({"HomeTeam", "AwayTeam", "FTHG"}),
    sbr.FORMAT: frozenset({"Rot", "VH", "Team"}),
    nflverse.FORMAT: frozenset({"game_id", "gameday", "spread_line"}),
    kaggle_nba.FORMAT: frozenset({"whos_favored", "moneyline_home"}),
    oddsapi_snapshots.FORMAT: frozenset({"game_id", "bookmaker", "ml_home", "commence_time"}),
}
FORMATS: Final = tuple(_SIGNATURES)
# The sport a single-sport format holds.
_FIXED_SPORT: Final = {
    football_data.FORMAT: Sport.EPL,
    nflverse.FORMAT: Sport.NFL,
    kaggle_nba.FORMAT: Sport.NBA,
}


def detect_format(header: str) -> str:
    """The format whose identifying columns all appear in ``header`` (a CSV header line)."""
    first_line = header.lstrip("\ufeff").split("\n", 1)[0]
    names = [name.strip() for name in next(csv.reader([first_line]), [])]
    present = set(names)
    for fmt, signature in _SIGNATURES.items():
        if signature <= present:
            return fmt
    shown = ", ".join(names[:8]) or "(none)"
    raise InvalidInput(
        f"unknown history file format: its first columns are {shown}; expected one of {', '.join(FORMATS)}"
    )


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (BOM dropped) if it decodes, else latin-1."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def parse_text(
    text: str,
    *,
    fmt: str | None = None,
    sport: Sport | None = None,
    season: str | None = None,
    name: str = "",
) -> ImportResult:
    """Parse decoded text; ``name`` (a file name) supplies an SBR file's sport and season if not given."""
    text = text.lstrip("\ufeff")
    if fmt is None:
        fmt = detect_format(text.split("\n", 1)[0])
    if fmt == sbr.FORMAT:
        named_sport, named_season = sbr.sport_and_season_from_name(name)
        sport = sport or named_sport
        if sport is None:
            raise InvalidInput(f"cannot tell the sport of SBR file {name or '(unnamed)'}: pass sport")
        return sbr.parse(text, sport=sport, season=season or named_season)
    if fmt == oddsapi_snapshots.FORMAT:
        return oddsapi_snapshots.parse(text)
    if fmt not in _FIXED_SPORT:
        raise InvalidInput(f"fmt must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if sport is not None and sport is not _FIXED_SPORT[fmt]:
        raise InvalidInput(f"{fmt} files hold {_FIXED_SPORT[fmt].title} games, not {sport.title}")
    if fmt == football_data.FORMAT:
        return football_data.parse(text)
    if fmt == nflverse.FORMAT:
        return nflverse.parse(text)
    return kaggle_nba.parse(text)


def parse_file(path: Path, *, fmt: str | None = None, sport: Sport | None = None) -> ImportResult:
    """Detect (unless ``fmt`` is given) and parse one history file."""
    return parse_text(read_text(path), fmt=fmt, sport=sport, name=path.name)
