"""Importing the real history files: counts, no duplicates across sources, and the market baselines.

The full import (every file in ../shared/data/{epl,nba,nfl,nhl,mlb}) runs once per module on
SQLite; the uniqueness checks also run on PostgreSQL with a few overlapping files.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from core.errors import InvalidInput
from services.history_import import ImportSummary, import_history
from services.setup import prepare_database
from store.db import unit_of_work
from store.tables import ClosingLine, Game, OddsSnapshot, Outcome, TeamOutcome, table_of
from tests.conftest import SHARED_DATA, make_settings
from tools.context import ToolContext, bind, open_context
from tools.history import market_baseline

FOLDERS = ("epl", "nba", "nfl", "nhl", "mlb")


def _files(shared: Path) -> list[Path]:
    return sorted(p for folder in FOLDERS for p in (shared / folder).glob("*.csv"))


def _counts(engine: Engine) -> dict[str, int]:
    with unit_of_work(engine) as session:
        return {
            t.__tablename__: session.execute(sa.select(sa.func.count()).select_from(table_of(t))).scalar_one()  # type: ignore[attr-defined]
            for t in (Game, OddsSnapshot, ClosingLine, Outcome, TeamOutcome)
        }


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ToolContext, ImportSummary]]:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"../shared/data is absent ({SHARED_DATA}): the import tests need it")
    url = f"sqlite:///{tmp_path_factory.mktemp('history') / 'history.db'}"
    settings = make_settings(url)
    engine = prepare_database(settings)
    ctx = open_context(settings=settings, engine=engine)
    with bind(ctx):
        summary = import_history(ctx, _files(SHARED_DATA))
    yield ctx, summary
    engine.dispose()


def test_every_file_imports(imported: tuple[ToolContext, ImportSummary]) -> None:
    _, summary = imported
    assert summary.files == len(_files(SHARED_DATA)) == 25
    by_name = {Path(f.path).name: f for f in summary.per_file}
    assert sum(f.games for name, f in by_name.items() if name.startswith("E0_")) == 3_800
    assert by_name["kaggle_nba_2008-2024_lines.csv"].games == 21_797
    assert by_name["oddsapi_nhl_pregame_noonET_2023-24_2024-25.csv"].outcomes == 0


def test_overlapping_sources_store_each_game_once(imported: tuple[ToolContext, ImportSummary]) -> None:
    ctx, summary = imported
    by_name = {Path(f.path).name: f for f in summary.per_file}
    # Every SBR NBA game but the few DATA.md says do not match the Kaggle file is already stored.
    sbr_nba_new = sum(f.games for name, f in by_name.items() if name.startswith("sbr_nba_"))
    assert sbr_nba_new <= 4
    assert by_name["sbr_nfl_odds_2021-22.csv"].games <= 1
    with unit_of_work(ctx.engine) as session:
        books = session.execute(
            sa.select(sa.func.count(sa.distinct(table_of(ClosingLine).c.book))).where(
                table_of(ClosingLine).c.game_id.in_(
                    sa.select(table_of(ClosingLine).c.game_id).where(table_of(ClosingLine).c.book == "sbr")
                ),
                table_of(ClosingLine).c.market == "h2h",
            )
        ).scalar_one()
    assert books >= 3  # sbr with kaggle (NBA) and nflverse (NFL) on the same games


@pytest.mark.parametrize(
    ("sport", "book", "start", "end", "expected"),
    [
        ("epl", "pinnacle", None, None, 0.5622),
        ("nba", None, "2007-10-01", "2023-07-01", 0.2024),
        ("nfl", "nflverse", "2006-08-01", None, 0.2111),
        ("mlb", None, None, None, 0.2388),
    ],
)
def test_closing_baselines_from_the_database_match_data_md(
    imported: tuple[ToolContext, ImportSummary],
    sport: str,
    book: str | None,
    start: str | None,
    end: str | None,
    expected: float,
) -> None:
    ctx, _ = imported
    with bind(ctx):
        baseline = market_baseline(sport=sport, book=book, start=start, end=end)
    assert baseline.brier is not None
    assert abs(baseline.brier - expected) <= 0.0005, baseline


def test_importing_again_adds_nothing(imported: tuple[ToolContext, ImportSummary]) -> None:
    ctx, _ = imported
    before = _counts(ctx.engine)
    with bind(ctx):
        again = import_history(ctx, _files(SHARED_DATA)[:3])
    assert (again.games, again.snapshots, again.outcomes) == (0, 0, 0)
    assert _counts(ctx.engine) == before


def test_overlap_and_repeat_on_both_databases(any_engine: Engine, db_url: str, shared_data: Path) -> None:
    ctx = open_context(settings=make_settings(db_url), engine=any_engine)
    files = [shared_data / "nfl" / "sbr_nfl_odds_2021-22.csv", shared_data / "epl" / "E0_2324.csv"]
    with bind(ctx):
        first = import_history(ctx, files)
        counts = _counts(any_engine)
        second = import_history(ctx, [shared_data / "nfl" / "nflverse_games.csv", *files])
        third = import_history(ctx, files)
    assert first.games == 285 + 380
    assert second.per_file[0].games == 7_263 - 284  # nflverse adds only what SBR did not have
    assert (second.per_file[1].games, second.per_file[1].snapshots) == (0, 0)
    assert (third.games, third.snapshots, third.outcomes) == (0, 0, 0)
    assert _counts(any_engine)["games"] == counts["games"] + 7_263 - 284


def test_bad_paths_and_formats_are_named(ctx: ToolContext, tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n")
    with bind(ctx):
        with pytest.raises(InvalidInput, match=r"no such file: .*nope\.csv"):
            import_history(ctx, [tmp_path / "nope.csv"])
        with pytest.raises(InvalidInput, match="first columns are a, b"):
            import_history(ctx, [odd])
