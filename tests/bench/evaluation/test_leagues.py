"""A league's history files, cut to the seasons or the games it keeps."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from bench.evaluation.leagues import League, trimmed
from core.sports import Sport


def test_the_nfl_file_is_cut_to_its_seasons(tmp_path: Path) -> None:
    source = tmp_path / "src" / "games.csv"
    source.parent.mkdir()
    source.write_text("game_id,season,x\na,2015,1\nb,2016,2\nc,2024,3\n")
    league = League("nfl", "NFL", Sport.NFL, ("games.csv",), date(2021, 8, 1), "", min_season=2016)
    cut = trimmed(source, tmp_path, league)
    assert cut.read_text() == "game_id,season,x\nb,2016,2\nc,2024,3\n"
    (tmp_path / "head").mkdir()
    head = trimmed(source, tmp_path / "head", replace(league, min_season=None, head_games=1))
    assert head.read_text() == "game_id,season,x\na,2015,1\n"
