"""The leagues the report replays: their history files, scored windows and the reasons for them.

``LEAGUES`` is the full report, ``QUICK`` two small slices of two leagues (for tests). A league
names its files relative to the shared data folder; ``trimmed`` cuts a file to the seasons or
the first games the league keeps, byte for byte.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from core.sports import Sport

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
REPORT_ORDER = ("epl", "nba", "nfl", "nhl", "mlb")  # the report's order; the replays run longest first


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


def trimmed(source: Path, folder: Path, league: League) -> Path:
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
