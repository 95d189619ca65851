"""core.formatting: every string written out by hand, so a change to a convention shows here first."""

from __future__ import annotations

import pytest

from core.formatting import (
    american,
    market_line,
    percent,
    pick_label,
    points,
    side_label,
    signed_line,
    signed_percent,
    signed_points,
    signed_usd,
    usd,
    with_line,
)
from core.sports import Market, Side

TEAMS = {"home_team": "Lakers", "away_team": "Celtics"}


@pytest.mark.parametrize(
    ("fraction", "kwargs", "text"),
    [
        (0.5256, {}, "52.6%"),
        (0.5256, {"digits": 0}, "53%"),
        (0.0, {}, "0.0%"),
        (-0.1, {}, "-10.0%"),
        (1.0, {}, "100.0%"),
        (0.125, {"digits": 0}, "12%"),  # 12.5 rounds half to even
        (0.375, {"digits": 0}, "38%"),
        (0.125, {"digits": 2}, "12.50%"),
        (0.02, {"digits": None}, "2%"),  # as many digits as the number needs
        (0.025, {"digits": None}, "2.5%"),
        (0.4, {"trim": True}, "40%"),  # a whole share drops its .0
        (1 / 3, {"trim": True}, "33.3%"),
        (0.05, {"trim": True}, "5%"),
        (1.0, {"trim": True}, "100%"),
        (None, {}, "–"),
        (None, {"missing": "-"}, "-"),
        (None, {"missing": "n/a"}, "n/a"),
    ],
)
def test_percent(fraction: float | None, kwargs: dict[str, object], text: str) -> None:
    assert percent(fraction, **kwargs) == text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fraction", "text"),
    [(0.052, "+5.2%"), (-0.1, "-10.0%"), (0.0, "+0.0%"), (0.00049, "+0.0%"), (None, "–")],
)
def test_signed_percent(fraction: float | None, text: str) -> None:
    assert signed_percent(fraction) == text


def test_points_are_percentages_without_the_sign() -> None:
    assert points(0.5256) == "52.6"
    assert points(0.55, 0) == "55"
    assert signed_points(0.012) == "+1.2"
    assert signed_points(-0.03) == "-3.0"
    assert signed_points(0.0) == "+0.0"


@pytest.mark.parametrize(
    ("amount", "text", "signed"),
    [
        (1234.5, "$1,234.50", "+$1,234.50"),
        (1234567.891, "$1,234,567.89", "+$1,234,567.89"),
        (-10.0, "-$10.00", "-$10.00"),
        (0.0, "$0.00", "$0.00"),
        (15, "$15.00", "+$15.00"),
        (None, "–", "–"),
    ],
)
def test_usd(amount: float | None, text: str, signed: str) -> None:
    assert usd(amount) == text
    assert signed_usd(amount) == signed


def test_usd_missing_reads_as_asked() -> None:
    assert usd(None, missing="-") == "-"
    assert signed_usd(None, missing="") == ""


@pytest.mark.parametrize(("odds", "text"), [(150, "+150"), (100, "+100"), (-110, "-110"), (-250, "-250")])
def test_american(odds: int, text: str) -> None:
    assert american(odds) == text


def test_lines() -> None:
    assert signed_line(-3.5) == "-3.5"
    assert signed_line(3.0) == "+3"  # a whole-number spread, where a push is possible
    assert signed_line(0.0) == "+0"  # pick'em
    assert signed_line(0.0, pickem="PK") == "PK"
    assert signed_line(-1.0, pickem="PK") == "-1"
    assert market_line("spreads", 7.0) == "+7"
    assert market_line("spreads", 0.0, pickem="PK") == "PK"
    assert market_line("totals", 221.5) == "221.5"
    assert market_line("totals", 44.0) == "44"
    assert market_line("totals", 0.0, pickem="PK") == "0"  # only a spread is pick'em


@pytest.mark.parametrize(
    ("market", "side", "point", "text"),
    [
        ("spreads", "home", -3.5, "Lakers -3.5"),
        ("spreads", "away", 3.5, "Celtics +3.5"),
        ("spreads", "home", -3.0, "Lakers -3"),  # a whole-number spread can push
        ("spreads", "away", 3.0, "Celtics +3"),
        ("spreads", "home", 0.0, "Lakers +0"),  # pick'em
        ("totals", "over", 221.5, "Over 221.5"),
        ("totals", "under", 44.0, "Under 44"),
        ("h2h", "home", None, "Lakers"),
        ("h2h", "away", None, "Celtics"),
        ("h2h", "draw", None, "Draw"),
    ],
)
def test_pick_label(market: str, side: str, point: float | None, text: str) -> None:
    assert pick_label(market, side, point, **TEAMS) == text


def test_pick_label_takes_the_enums() -> None:
    assert pick_label(Market.SPREADS, Side.AWAY, 6.5, **TEAMS) == "Celtics +6.5"
    assert pick_label(Market.TOTALS, Side.OVER, 2.5, **TEAMS) == "Over 2.5"
    assert side_label(Side.DRAW, **TEAMS) == "Draw"


def test_side_label() -> None:
    assert side_label("home", **TEAMS) == "Lakers"
    assert side_label("away", **TEAMS) == "Celtics"
    assert side_label("under", **TEAMS) == "Under"


def test_with_line() -> None:
    assert with_line("Lakers", "spreads", -2.5) == "Lakers -2.5"
    assert with_line("Over", "totals", 221.5) == "Over 221.5"
    assert with_line("Draw", "h2h", None) == "Draw"
    # The analyst's dossier signs every line, a total's too.
    assert with_line("Over", "totals", 221.5, sign_totals=True) == "Over +221.5"
    assert with_line("Lakers", "spreads", -2.5, sign_totals=True) == "Lakers -2.5"
    assert with_line("Draw", "h2h", None, sign_totals=True) == "Draw"
