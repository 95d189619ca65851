"""The simulated market scores like the real one (shared/data/DATA.md), seeds 1-5 pooled.

Consensus = the mean of the books' multiplicatively devigged h2h probabilities. Figures for
every sport are in docs/SIMULATOR.md; the assertion messages repeat them on failure.
"""

from __future__ import annotations

import pytest

from core.sim.market_quality import CalibrationReport, calibration_report
from core.sports import Sport

TOLERANCE = {Sport.NBA: 0.012, Sport.NFL: 0.012, Sport.NHL: 0.012, Sport.MLB: 0.012, Sport.EPL: 0.02}


@pytest.fixture(scope="module", params=list(Sport), ids=lambda s: s.short)
def report(request: pytest.FixtureRequest) -> CalibrationReport:
    sport: Sport = request.param
    return calibration_report(sport, seeds=range(1, 6))


def _figures(report: CalibrationReport) -> str:
    return (
        f"{report.sport.short}: n={report.n_games} open={report.brier_open:.4f} "
        f"close={report.brier_close:.4f} target={report.target} "
        f"sharp_mse={report.sharp_mse:.6f} soft_mse={report.soft_mse}"
    )


def test_closing_consensus_brier_matches_the_real_market(report: CalibrationReport) -> None:
    assert abs(report.brier_close - report.target) <= TOLERANCE[report.sport], _figures(report)


def test_closing_beats_opening(report: CalibrationReport) -> None:
    assert report.brier_close < report.brier_open, _figures(report)


def test_the_sharp_book_closes_nearest_the_truth(report: CalibrationReport) -> None:
    assert all(report.sharp_mse < mse for mse in report.soft_mse.values()), _figures(report)


def test_outcome_rates_look_real(report: CalibrationReport) -> None:
    if report.sport is Sport.EPL:
        # Real EPL 2015-25: home .445, draw .233, away .322.
        assert 0.21 <= report.draw_rate <= 0.27, _figures(report)
        assert 0.40 <= report.home_win_rate <= 0.48, _figures(report)
    else:
        assert report.draw_rate == 0.0
        assert 0.51 <= report.home_win_rate <= 0.60, _figures(report)
