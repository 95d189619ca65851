"""Historical odds and results importers: football-data, SBR, nflverse and Kaggle NBA files.

Pure parsing: a file's text in, ``HistoricalGame`` values out (see ``base`` for the shared id,
timing and quote rules). ``parse_file`` detects the format from the header.
"""

from __future__ import annotations

from core.importers.base import (
    EXCHANGE_BOOKS,
    HistoricalGame,
    ImportResult,
    historical_game_id,
    is_exchange,
)
from core.importers.detect import FORMATS, detect_format, parse_file, parse_text

__all__ = [
    "EXCHANGE_BOOKS",
    "FORMATS",
    "HistoricalGame",
    "ImportResult",
    "detect_format",
    "historical_game_id",
    "is_exchange",
    "parse_file",
    "parse_text",
]
