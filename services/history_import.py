"""Importing the public odds-and-results files: one transaction per file, idempotent.

For the CLI and the library, not the chat: it reads files from disk by path, which no model
should be able to ask for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from core.errors import InvalidInput
from core.importers.detect import parse_file
from services.context import ToolContext
from store.history import save_history

ProgressFn = Callable[[str, int, int], None]  # (file, games done, games in file)


class FileImport(BaseModel):
    path: str
    format: str
    rows_skipped: int
    games: int = Field(description="games new to the database")
    snapshots: int
    outcomes: int


class ImportSummary(BaseModel):
    files: int
    games: int
    snapshots: int
    outcomes: int
    per_file: list[FileImport]


_BATCH = 5_000


def import_history(
    ctx: ToolContext,
    paths: Sequence[str | Path],
    *,
    fmt: str | None = None,
    progress: ProgressFn | None = None,
) -> ImportSummary:
    """Import history files (format detected from each header unless ``fmt`` is given).

    Each file is one transaction: a file that fails leaves nothing behind, and importing a
    file twice adds nothing.
    """
    files = [Path(p) for p in paths]
    missing = [str(p) for p in files if not p.is_file()]
    if missing:
        raise InvalidInput(f"no such file: {', '.join(missing)}")
    per_file: list[FileImport] = []
    for path in files:
        parsed = parse_file(path, fmt=fmt)
        games = snapshots = outcomes = 0
        with ctx.unit_of_work() as session:
            for start in range(0, len(parsed.games), _BATCH):
                counts = save_history(session=session, games=parsed.games[start : start + _BATCH])
                games, snapshots, outcomes = (
                    games + counts.games,
                    snapshots + counts.snapshots,
                    outcomes + counts.outcomes,
                )
                if progress is not None:
                    progress(str(path), min(start + _BATCH, len(parsed.games)), len(parsed.games))
        per_file.append(
            FileImport(
                path=str(path),
                format=parsed.format,
                rows_skipped=len(parsed.skipped),
                games=games,
                snapshots=snapshots,
                outcomes=outcomes,
            )
        )
    return ImportSummary(
        files=len(per_file),
        games=sum(f.games for f in per_file),
        snapshots=sum(f.snapshots for f in per_file),
        outcomes=sum(f.outcomes for f in per_file),
        per_file=per_file,
    )
