"""Settling bets in dollars (hand-worked, and against core.odds) and the one-line post-mortem."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.bet_settlement import bet_profit, post_mortem
from core.errors import InvalidInput
from core.odds import profit_american
from core.sports import Market, Side, Sport
from core.verify import Grade, grade

PROPERTY = settings(deadline=None, max_examples=200)

W, L, P, V, HW, HL = Grade.WON, Grade.LOST, Grade.PUSH, Grade.VOID, Grade.HALF_WON, Grade.HALF_LOST

stakes_in_cents = st.integers(0, 100_000).map(lambda cents: cents / 100)  # $0.00 to $1,000.00
american_odds = st.one_of(st.integers(-1000, -100), st.integers(100, 1000))


# --- bet_profit -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "stake", "odds", "profit"),
    [
        (W, 11.0, -110, 10.00),  # 11 / (110/100) = 10
        (W, 10.0, 150, 15.00),  # 10 × 150/100 = 15
        (W, 100.0, -100, 100.00),  # even money both ways
        (W, 100.0, 100, 100.00),
        (W, 1.0, -105, 0.95),  # 1 / 1.05 = 0.952...
        (W, 10.0, -300, 3.33),  # 10 / 3 = 3.333...
        (W, 20.0, -300, 6.67),  # 20 / 3 = 6.666...
        (L, 10.0, 150, -10.00),
        (L, 11.0, -110, -11.00),
        (P, 10.0, -110, 0.00),
        (V, 10.0, 150, 0.00),
        (HW, 10.0, 150, 7.50),  # $5 wins 5 × 1.5, $5 comes back
        (HW, 10.0, -110, 4.55),  # 5 / 1.1 = 4.5454...
        (HL, 10.0, -110, -5.00),
        (HL, 11.0, 150, -5.50),
        # Exact half cents go to the even cent: 5.35 × 1.5 = 8.025 → 8.02; 5.35 / 2 = 2.675 → 2.68.
        (W, 5.35, 150, 8.02),
        (HL, 5.35, -110, -2.68),
        (HL, 0.03, -110, -0.02),  # −0.015 → −0.02 (even)
        (HL, 0.05, -110, -0.02),  # −0.025 → −0.02 (even)
        (W, 0.0, 150, 0.00),
    ],
)
def test_bet_profit_golden(result: Grade, stake: float, odds: int, profit: float) -> None:
    assert bet_profit(result, stake, odds) == profit


def test_bet_profit_accepts_grade_values() -> None:
    assert bet_profit("won", 11.0, -110) == 10.0  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((W, 10.0, 50), "odds_american"),
        ((W, 10.0, -99), "odds_american"),
        ((W, 10.0, 110.5), "odds_american must be a whole number"),
        ((W, 10.0, True), "odds_american must be a whole number"),
        ((W, -1.0, 110), "stake_usd"),
        ((W, float("nan"), 110), "stake_usd"),
        ((W, "10", 110), "stake_usd"),
        (("lose", 10.0, 110), "grade must be one of"),
    ],
)
def test_bet_profit_rejects_bad_input(args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        bet_profit(*args)


def test_settles_a_graded_spread_bet() -> None:
    # Boston −4.5 wins 112-104 (margin 8 − 4.5 > 0): $11 at −110 wins $10.00.
    result = grade(
        sport=Sport.NBA, market=Market.SPREADS, side=Side.HOME, point=-4.5, home_score=112, away_score=104
    )
    assert bet_profit(result, 11.0, -110) == 10.00


@given(stake=stakes_in_cents, odds=american_odds)
@PROPERTY
def test_a_win_pays_what_the_seed_formula_says_to_the_cent(stake: float, odds: int) -> None:
    profit = bet_profit(W, stake, odds)
    assert abs(profit - profit_american(stake, odds)) <= 0.005 + 1e-9
    assert Decimal(repr(profit)) == Decimal(repr(profit)).quantize(Decimal("0.01"))


@given(stake=stakes_in_cents, odds=american_odds)
@PROPERTY
def test_loss_push_and_halves_mirror_the_win(stake: float, odds: int) -> None:
    won = bet_profit(W, stake, odds)
    assert bet_profit(L, stake, odds) == -stake
    assert bet_profit(P, stake, odds) == bet_profit(V, stake, odds) == 0.0
    # Half a bet wins or loses half as much, up to the cent each side rounds away.
    assert abs(bet_profit(HW, stake, odds) - won / 2) <= 0.01 + 1e-9
    assert abs(bet_profit(HL, stake, odds) + stake / 2) <= 0.005 + 1e-9
    assert won >= 0.0 >= bet_profit(HL, stake, odds) >= bet_profit(L, stake, odds)


@given(n=st.integers(100, 1000))
@PROPERTY
def test_the_to_win_100_and_risk_100_conventions(n: int) -> None:
    # At −n you risk $n to win $100; at +n you risk $100 to win $n.
    assert bet_profit(W, float(n), -n) == 100.0
    assert bet_profit(W, 100.0, n) == float(n)
    assert bet_profit(L, float(n), -n) == -float(n)


# --- post_mortem ------------------------------------------------------------------------------


def _pm(**overrides: Any) -> str:
    fields: dict[str, Any] = {
        "probability": 0.68,
        "odds_american": 120,
        "home_team": "Boston",
        "away_team": "Miami",
        "home_score": 112,
        "away_score": 104,
        "result": W,
        "stake_usd": 5.0,
    }
    fields.update(overrides)
    return post_mortem(**fields)


def test_post_mortem_golden() -> None:
    # $5 won at +120 is 5 × 1.2 = $6.00.
    assert (
        _pm(edge=0.041, clv=0.023)
        == "Expected 68% at +120 (edge 4.1%); Boston won 112-104: won $6.00; CLV +2.3%."
    )


@pytest.mark.parametrize(
    ("overrides", "line"),
    [
        ({}, "Expected 68% at +120; Boston won 112-104: won $6.00."),
        (
            {"result": L, "odds_american": -110, "stake_usd": 11.0, "home_score": 99, "clv": -0.012},
            "Expected 68% at -110; Miami won 104-99: lost $11.00; CLV -1.2%.",
        ),
        (
            {"result": P, "home_score": 104},
            "Expected 68% at +120; Boston and Miami tied 104-104: push: stake returned.",
        ),
        (
            {"result": V, "home_score": 0, "away_score": 0},
            "Expected 68% at +120; Boston and Miami tied 0-0: void: stake returned.",
        ),
        ({"result": HW, "stake_usd": 10.0}, "Expected 68% at +120; Boston won 112-104: half won $6.00."),
        ({"result": HL, "stake_usd": 10.0}, "Expected 68% at +120; Boston won 112-104: half lost $5.00."),
        ({"stake_usd": 0.0}, "Expected 68% at +120; Boston won 112-104: won (no stake)."),
        ({"result": P, "stake_usd": 0.0}, "Expected 68% at +120; Boston won 112-104: push."),
        (
            {"pick": "Boston -4.5", "edge": -0.004},
            "Boston -4.5: expected 68% at +120 (edge -0.4%); Boston won 112-104: won $6.00.",
        ),
    ],
)
def test_post_mortem_lines(overrides: dict[str, Any], line: str) -> None:
    assert _pm(**overrides) == line


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"probability": 1.0}, "probability"),
        ({"odds_american": 99}, "odds_american"),
        ({"home_score": -1}, "home_score"),
        ({"away_score": 1.5}, "away_score"),
        ({"home_team": " "}, "home_team"),
        ({"result": "maybe"}, "grade must be one of"),
        ({"stake_usd": -5.0}, "stake_usd"),
        ({"edge": float("nan")}, "edge"),
        ({"clv": float("inf")}, "clv"),
        ({"pick": ""}, "pick"),
    ],
)
def test_post_mortem_rejects_bad_input(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        _pm(**overrides)
