"""Import throughput: every history file in ../shared/data into a scratch SQLite database.

Reports games per second end to end (parse, store, commit), and how the time splits between
parsing and the database. Quick mode imports one EPL season.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.harness import Figure
from core.importers.detect import parse_file
from core.settings import load_settings
from services.history_import import import_history
from services.setup import prepare_database
from tools.context import bind, open_context

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FOLDERS = ("epl", "nba", "nfl", "nhl", "mlb")


def files(quick: bool) -> list[Path]:
    if quick:
        return [SHARED / "epl" / "E0_2324.csv"]
    return sorted(p for folder in FOLDERS for p in (SHARED / folder).glob("*.csv"))


def run(quick: bool = False) -> list[Figure]:
    if not SHARED.is_dir():
        return [Figure("import: ../shared/data is absent, nothing measured", 0.0, "")]
    paths = files(quick)
    started = time.perf_counter()
    for path in paths:
        parse_file(path)
    parse_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as home:
        settings = load_settings(_env_file=None, BENNY_HOME=home)
        engine = prepare_database(settings)
        try:
            with bind(open_context(settings=settings, engine=engine)) as ctx:
                started = time.perf_counter()
                summary = import_history(ctx, paths)
                total_s = time.perf_counter() - started
        finally:
            engine.dispose()
    return [
        Figure(
            f"import {summary.files} files: games per second",
            summary.games / total_s,
            "games/s",
            5_000,
            False,
        ),
        Figure(f"import {summary.files} files: wall time", total_s, "s", note=f"{summary.games:,} games"),
        Figure("import: of which parsing", parse_s, "s"),
        Figure("import: snapshots stored", float(summary.snapshots), "rows"),
    ]
