"""The model context (as-of, main lines) and the two market-reading models, on constructed cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import InvalidInput
from core.models import Consensus, Value
from core.models.base import MarketPrediction, build_context
from core.quotes import GameInfo, OddsQuote
from core.sports import Market, Side, Sport

START = datetime(2025, 1, 16, 0, 30, tzinfo=UTC)
GAME = GameInfo("g1", Sport.NBA, START, "Boston Celtics", "New York Knicks")
AS_OF = START - timedelta(hours=6)


def h2h(book: str, home: float, away: float, seen: datetime = AS_OF - timedelta(hours=1)) -> list[OddsQuote]:
    return [
        OddsQuote(GAME, book, Market.H2H, Side.HOME, home, seen),
        OddsQuote(GAME, book, Market.H2H, Side.AWAY, away, seen),
    ]


def spread(book: str, home_point: float, seen: datetime = AS_OF - timedelta(hours=1)) -> list[OddsQuote]:
    return [
        OddsQuote(GAME, book, Market.SPREADS, Side.HOME, 1.91, seen, home_point),
        OddsQuote(GAME, book, Market.SPREADS, Side.AWAY, 1.91, seen, -home_point),
    ]


def test_nothing_stamped_after_as_of_is_seen() -> None:
    early = h2h("pinnacle", 1.50, 2.70)
    late = h2h("pinnacle", 3.00, 1.40, seen=AS_OF + timedelta(minutes=1))
    context = build_context(GAME, AS_OF, early + late)
    [line] = context.markets[Market.H2H].current
    assert line.prices[Side.HOME] == 1.50
    perturbed = build_context(
        GAME, AS_OF, early + h2h("pinnacle", 9.0, 1.05, seen=AS_OF + timedelta(hours=2))
    )
    assert Consensus().predict(context) == Consensus().predict(perturbed)


def test_opening_and_current_lines_per_book() -> None:
    quotes = h2h("pinnacle", 1.80, 2.10, AS_OF - timedelta(days=2)) + h2h("pinnacle", 1.60, 2.45)
    book = build_context(GAME, AS_OF, quotes).markets[Market.H2H]
    assert [line.prices[Side.HOME] for line in book.opening] == [1.80]
    assert [line.prices[Side.HOME] for line in book.current] == [1.60]


def test_spreads_are_read_at_the_point_most_books_quote() -> None:
    quotes = spread("a", -4.5) + spread("b", -4.5) + spread("c", -5.5)
    book = build_context(GAME, AS_OF, quotes).markets[Market.SPREADS]
    assert book.point == -4.5
    assert [line.book for line in book.current] == ["a", "b"]


def test_consensus_weighs_the_sharp_book_twice() -> None:
    # Fair home probabilities: pinnacle 0.6, soft 0.5 -> (2 x 0.6 + 0.5) / 3.
    quotes = h2h("pinnacle", 1 / 0.6, 1 / 0.4) + h2h("fanduel", 2.0, 2.0)
    [prediction] = Consensus().predict(build_context(GAME, AS_OF, quotes))
    assert prediction.probabilities[Side.HOME] == pytest.approx((2 * 0.6 + 0.5) / 3)
    assert prediction.pick is Side.HOME
    assert (prediction.book, prediction.price_decimal) == ("fanduel", 2.0)
    assert prediction.reason["books"] == 2


def test_value_picks_the_biggest_edge_even_on_the_underdog() -> None:
    # Consensus 0.6 / 0.4 (pinnacle), but one soft book offers the away side at 2.80: 0.4 x 2.8 - 1 = +12%.
    quotes = h2h("pinnacle", 1 / 0.6, 1 / 0.4) + h2h("pinnacle", 1 / 0.6, 1 / 0.4) + h2h("soft", 1.55, 2.80)
    context = build_context(GAME, AS_OF, quotes)
    [prediction] = Value().predict(context)
    assert prediction.pick is Side.AWAY
    assert prediction.book == "soft"
    assert prediction.reason["edge_pct"] == pytest.approx(
        100 * (prediction.probabilities[Side.AWAY] * 2.8 - 1), abs=1e-3
    )


def test_no_prices_no_prediction() -> None:
    context = build_context(GAME, AS_OF, [])
    assert Consensus().predict(context) == ()
    assert Value().predict(context) == ()


def test_predictions_check_themselves() -> None:
    with pytest.raises(InvalidInput, match="sum to 1"):
        MarketPrediction(Market.H2H, None, {Side.HOME: 0.7, Side.AWAY: 0.7}, Side.HOME, {})
    with pytest.raises(InvalidInput, match="pick must be one of"):
        MarketPrediction(Market.H2H, None, {Side.HOME: 0.5, Side.AWAY: 0.5}, Side.DRAW, {})
    with pytest.raises(InvalidInput, match="not before the start"):
        build_context(GAME, START, [])
