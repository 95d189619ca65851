"""The demo feed: seeded, several books, a new snapshot each hour and none twice in an hour."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from core.devig import overround
from core.feeds import demo
from core.sports import Market
from tests.conftest import NOW


def test_same_hour_same_quotes_next_hour_new_snapshot() -> None:
    first = demo.quotes(seed=1, as_of=NOW)
    assert first == demo.quotes(seed=1, as_of=NOW + timedelta(minutes=59))
    later = demo.quotes(seed=1, as_of=NOW + timedelta(hours=1))
    assert {q.seen_at for q in later} == {NOW + timedelta(hours=1)}
    assert first != demo.quotes(seed=2, as_of=NOW)


def test_only_games_not_started_are_quoted_by_at_least_three_books() -> None:
    quotes = demo.quotes(seed=1, as_of=NOW)
    assert quotes
    assert all(q.game.commence_time > q.seen_at for q in quotes)
    books = Counter((q.game.id, q.book) for q in quotes)
    per_game = Counter(game for game, _ in books)
    assert min(per_game.values()) >= 3


def test_every_market_has_a_plausible_margin() -> None:
    by_market: dict[tuple[str, str, str], list[float]] = {}
    for q in demo.quotes(seed=1, as_of=NOW):
        by_market.setdefault((q.game.id, q.book, q.market.value), []).append(q.price_decimal)
    for (_, book, market), prices in by_market.items():
        assert len(prices) == 2
        margin = overround(prices)
        assert -0.02 < margin < 0.12, (book, market, margin)
    assert {m for (_, _, m) in by_market} == {m.value for m in Market}
