"""contrarian: with the sharp book against the soft books' move, and fading the public side otherwise."""

from __future__ import annotations

import numpy as np
import pytest

from core.models.base import GameContext
from core.models.contrarian import Contrarian, line_moves
from core.sports import Market, Side, Sport

from .synthetic import context, market, simulate, start_of


def moved(i: int, *, sharp: float, soft: float, base: float = 0.5) -> GameContext:
    """A moneyline that opened at ``base`` everywhere; pinnacle now at base+sharp, fanduel at base+soft."""
    as_of = start_of(i) - np.timedelta64(1, "h").astype(object)
    book = market(
        Sport.NBA,
        Market.H2H,
        (base, 1 - base),
        as_of=as_of,
        books={"pinnacle": (base + sharp, 1 - base - sharp), "fanduel": (base + soft, 1 - base - soft)},
        opening={"pinnacle": (base, 1 - base), "fanduel": (base, 1 - base)},
    )
    return context(i, markets={Market.H2H: book})


def features(ctx: GameContext) -> tuple[float, ...]:
    found = Contrarian().features(ctx, ctx.markets[Market.H2H])
    assert found is not None
    return found.values


def test_a_reverse_move_is_the_sharp_books_move() -> None:
    reverse, public = features(moved(0, sharp=0.06, soft=-0.04))
    assert reverse > 0.2 and public == 0.0
    reverse, public = features(moved(1, sharp=0.06, soft=0.04))  # steam both ways: no reverse move
    assert reverse == 0.0 and public > 0.0
    sharp, soft = line_moves(moved(2, sharp=-0.05, soft=0.03).markets[Market.H2H], method="multiplicative")
    assert sharp is not None and soft is not None and sharp < 0 < soft


def test_without_line_history_it_fades_the_favourite() -> None:
    ctx = context(0, h2h=(0.8, 0.2))
    assert features(ctx) == pytest.approx((0.0, np.log(4.0)), abs=1e-6)
    spread = market(Sport.NBA, Market.SPREADS, (0.5, 0.5), as_of=ctx.as_of, point=-7.5)
    total = market(Sport.NBA, Market.TOTALS, (0.5, 0.5), as_of=ctx.as_of, point=221.5)
    for book, public in ((spread, 7.5), (total, 1.0)):
        found = Contrarian().features(ctx, book)
        assert found is not None and found.values == (0.0, public)


def make_moves(i: int, rng: np.random.Generator) -> GameContext:
    base = float(rng.uniform(0.35, 0.65))
    sharp, soft = (float(v) for v in rng.uniform(-0.05, 0.05, 2))
    return moved(i, sharp=sharp, soft=soft, base=base)


def test_it_backs_the_side_the_sharp_book_moved_toward() -> None:
    model = Contrarian().fit(simulate(2000, make_moves, lambda c: features(c)[0], beta=2.0))
    beta_reverse, _ = model.coefficients[(Sport.NBA, Market.H2H)].beta
    assert beta_reverse > 1.0
    ctx = moved(9000, sharp=-0.05, soft=0.04)  # sharp money on the away side, public on the home side
    [prediction] = model.predict(ctx)
    prior = 1 - (2 * 0.45 + 0.54) / 3  # consensus away probability: pinnacle counts twice
    assert prediction.probabilities[Side.AWAY] > prior + 0.02
    assert prediction.pick is Side.AWAY
    assert prediction.reason["driver"] == "reverse_move"


def test_it_fades_heavy_favourites_when_history_says_they_are_overpriced() -> None:
    def make(i: int, rng: np.random.Generator) -> GameContext:
        p = float(rng.uniform(0.2, 0.85))
        return context(i, h2h=(p, 1 - p))

    model = Contrarian().fit(simulate(3000, make, lambda c: features(c)[1], beta=-0.25))
    _, beta_public = model.coefficients[(Sport.NBA, Market.H2H)].beta
    assert beta_public < -0.1
    [prediction] = model.predict(context(9000, h2h=(0.8, 0.2)))
    assert prediction.probabilities[Side.HOME] < 0.78
    assert prediction.pick is Side.AWAY


def test_no_prediction_unfitted() -> None:
    assert Contrarian().predict(moved(0, sharp=0.05, soft=-0.05)) == ()
