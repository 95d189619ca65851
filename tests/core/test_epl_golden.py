"""Re-derive the EPL 2023-24 Pinnacle-closing baseline from DATA.md with the project's own code.

Multiplicative devig of PSCH/PSCD/PSCA scored against FTR must give Brier 0.5258, log loss
0.8995 and favourite hit 0.597; every closing market must carry a margin in (0, 6%).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from core.devig import devig, overround
from core.odds import FloatArray
from core.scoring import brier_multiclass, favourite_hit_rate, log_loss

DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SEASON_FILE = DATA_DIR / "epl" / "E0_2324.csv"
RESULT_INDEX = {"H": 0, "D": 1, "A": 2}

if not SEASON_FILE.is_file():
    pytest.skip(f"../shared/data is absent: {SEASON_FILE} not found", allow_module_level=True)


def read_rows(path: Path) -> list[dict[str, str]]:
    """The season's rows keyed by header; utf-8 (BOM or not) first, latin-1 if that fails."""
    for encoding in ("utf-8-sig", "latin-1"):
        try:
            with path.open(encoding=encoding, newline="") as handle:
                return list(csv.DictReader(handle))
        except UnicodeDecodeError:
            continue
    raise AssertionError("unreachable: latin-1 decodes any byte string")


@pytest.fixture(scope="module")
def closing_market() -> tuple[FloatArray, np.ndarray]:
    rows = read_rows(SEASON_FILE)
    odds = np.array([[float(row[column]) for column in ("PSCH", "PSCD", "PSCA")] for row in rows])
    results = np.array([RESULT_INDEX[row["FTR"]] for row in rows])
    return odds, results


def test_season_is_complete(closing_market: tuple[FloatArray, np.ndarray]) -> None:
    odds, results = closing_market
    assert odds.shape == (380, 3)
    assert results.shape == (380,)


def test_pinnacle_closing_baseline(closing_market: tuple[FloatArray, np.ndarray]) -> None:
    odds, results = closing_market
    fair = devig(odds, "multiplicative")
    assert round(brier_multiclass(fair, results), 4) == 0.5258
    assert round(log_loss(fair, results, clip=None), 4) == 0.8995
    assert round(favourite_hit_rate(fair, results), 3) == 0.597


def test_every_closing_market_has_a_small_positive_margin(
    closing_market: tuple[FloatArray, np.ndarray],
) -> None:
    odds, _ = closing_market
    margins = overround(odds)
    assert isinstance(margins, np.ndarray)
    assert np.all((margins > 0.0) & (margins < 0.06))


def test_every_method_devigs_the_whole_season(closing_market: tuple[FloatArray, np.ndarray]) -> None:
    odds, results = closing_market
    for method in ("multiplicative", "power", "odds_ratio", "shin"):
        fair = devig(odds, method)
        np.testing.assert_allclose(fair.sum(axis=1), 1.0, atol=1e-9)
        # Margin-removal choices move the season's Brier score only in the third decimal.
        assert abs(brier_multiclass(fair, results) - 0.5258) < 0.005
