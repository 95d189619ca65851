"""The shared rules: game ids, start times, snapshot stamps, cell parsing and market checks."""

from __future__ import annotations

import gc
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.errors import InvalidInput
from core.importers import EXCHANGE_BOOKS, historical_game_id, is_exchange
from core.importers.base import (
    BadValue,
    GameRecorder,
    make_game,
    parse_american,
    parse_decimal,
    parse_number,
    parse_score,
    pauses_cyclic_gc,
    start_at,
)
from core.sports import Market, Side, Sport

DAY = date(2021, 3, 4)


def test_game_id_is_32_hex_and_stable() -> None:
    game_id = historical_game_id(Sport.NBA, DAY, "Boston Celtics", "New York Knicks")
    assert len(game_id) == 32
    assert game_id == game_id.lower()
    int(game_id, 16)
    assert game_id == historical_game_id(Sport.NBA, DAY, "Boston Celtics", "New York Knicks")


def test_game_id_uses_canonical_names() -> None:
    canonical = historical_game_id(Sport.NBA, DAY, "Golden State Warriors", "Los Angeles Clippers")
    assert historical_game_id(Sport.NBA, DAY, "GoldenState", "LAClippers") == canonical
    assert historical_game_id(Sport.NBA, DAY, "gs", "lac") == canonical


def test_game_id_tells_games_apart() -> None:
    base = historical_game_id(Sport.NBA, DAY, "Boston Celtics", "New York Knicks")
    assert historical_game_id(Sport.NBA, DAY, "New York Knicks", "Boston Celtics") != base
    assert historical_game_id(Sport.NBA, DAY + timedelta(days=1), "Boston Celtics", "New York Knicks") != base
    assert historical_game_id(Sport.NBA, DAY, "Boston Celtics", "New York Knicks", game_number=2) != base
    assert historical_game_id(Sport.NBA, DAY, "Boston Celtics", "New York Knicks", game_number=1) == base
    with pytest.raises(InvalidInput, match="game_number"):
        historical_game_id(Sport.NBA, DAY, "Boston Celtics", "New York Knicks", game_number=0)


def test_game_id_rejects_unknown_teams() -> None:
    with pytest.raises(InvalidInput, match="Springfield Atoms"):
        historical_game_id(Sport.NFL, DAY, "Springfield Atoms", "Dallas Cowboys")


def test_date_only_games_start_at_2300_utc() -> None:
    assert start_at(DAY) == datetime(2021, 3, 4, 23, 0, tzinfo=UTC)


def test_local_kickoffs_convert_to_utc_across_daylight_saving() -> None:
    london, new_york = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")
    assert start_at(date(2023, 8, 11), time(20, 0), london) == datetime(2023, 8, 11, 19, 0, tzinfo=UTC)  # BST
    assert start_at(date(2023, 12, 26), time(15, 0), london) == datetime(2023, 12, 26, 15, 0, tzinfo=UTC)
    assert start_at(date(2021, 9, 12), time(20, 20), new_york) == datetime(2021, 9, 13, 0, 20, tzinfo=UTC)
    assert start_at(date(2022, 1, 9), time(13, 0), new_york) == datetime(2022, 1, 9, 18, 0, tzinfo=UTC)


def test_is_exchange() -> None:
    assert is_exchange("betfair_ex_uk")
    assert "matchbook" in EXCHANGE_BOOKS
    assert not is_exchange("pinnacle")
    assert not is_exchange("betfair_sb_uk")  # Betfair's sportsbook is a bookmaker


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("-110", 1.0 + 100 / 110),
        ("+150", 2.5),
        ("100", 2.0),
        ("-100", 2.0),
        ("", None),
        ("NL", None),
        ("-", None),
    ],
)
def test_parse_american(cell: str, expected: float | None) -> None:
    assert parse_american(cell) == pytest.approx(expected)


@pytest.mark.parametrize("cell", ["a100", "-35", "8", "0", "x"])
def test_parse_american_rejects_corrupt_cells(cell: str) -> None:
    with pytest.raises(BadValue, match=repr(cell)):
        parse_american(cell)


def test_parse_decimal_number_and_score() -> None:
    assert parse_decimal("1.95") == 1.95
    assert parse_decimal(" ") is None
    for bad in ("1.0", "0.0", "-2", "abc", "inf"):
        with pytest.raises(BadValue):
            parse_decimal(bad)
    assert parse_number("pk") == 0.0
    assert parse_number("PK") == 0.0
    assert parse_number("-2.25") == -2.25
    assert parse_number("NL") is None
    assert parse_score("3") == 3
    assert parse_score("") is None
    for bad in ("F", "-1", "2.5"):
        with pytest.raises(BadValue):
            parse_score(bad)


def _recorder() -> tuple[GameRecorder, list[tuple[int, str]]]:
    skipped: list[tuple[int, str]] = []
    start = start_at(DAY)
    game = make_game(Sport.NBA, DAY, "bos", "ny", start)
    return GameRecorder(game, 7, skipped), skipped


def test_recorder_stamps_opening_closing_and_result() -> None:
    recorder, skipped = _recorder()
    recorder.add("sbr", Market.H2H, False, [(Side.HOME, 1.8, None), (Side.AWAY, 2.1, None)])
    recorder.add("sbr", Market.H2H, True, [(Side.HOME, 1.7, None), (Side.AWAY, 2.2, None)])
    played = recorder.finish(101, 99, source="test", season="2020-21")
    start = played.game.commence_time
    assert played.game.home_team == "Boston Celtics"
    assert {q.seen_at for q in played.quotes} == {start - timedelta(hours=48), start - timedelta(minutes=5)}
    assert played.score is not None
    assert played.score.completed_at == start + timedelta(hours=3)
    assert skipped == []


def test_recorder_drops_impossible_markets_and_says_why() -> None:
    recorder, skipped = _recorder()
    recorder.add("sbr", Market.H2H, True, [(Side.HOME, 1.09, None), (Side.AWAY, 1.87, None)])  # +45 %
    recorder.add("sbr", Market.H2H, False, [(Side.HOME, 1.9, None), (Side.AWAY, None, None)])
    recorder.add("sbr", Market.SPREADS, True, [(Side.HOME, 1.9, 1.5), (Side.AWAY, 1.9, 1.5)])
    recorder.add("sbr", Market.TOTALS, True, [(Side.OVER, 1.9, 6.0), (Side.UNDER, 1.9, 6.5)])
    recorder.add(
        "sbr", Market.TOTALS, False, [(Side.OVER, None, 6.0), (Side.UNDER, None, 6.0)]
    )  # absent: silent
    played = recorder.finish(None, None, source="test", season=None)
    assert played.quotes == ()
    assert played.score is None
    reasons = [reason for row, reason in skipped]
    assert {row for row, _ in skipped} == {7}
    assert len(reasons) == 4
    assert "overround +45.2%" in reasons[0]
    assert "only 1 of 2 prices" in reasons[1]
    assert "do not mirror" in reasons[2]
    assert "not one positive line" in reasons[3]


def test_recorder_keeps_an_underround_within_bounds() -> None:
    recorder, skipped = _recorder()
    recorder.add("x", Market.H2H, True, [(Side.HOME, 2.2, None), (Side.AWAY, 2.2, None)])  # -9 %
    assert len(recorder.finish(1, 0, source="t", season=None).quotes) == 2
    assert skipped == []


def test_parsing_pauses_the_cyclic_gc_and_restores_it() -> None:
    seen: list[bool] = []

    @pauses_cyclic_gc
    def parse() -> None:
        seen.append(gc.isenabled())
        raise InvalidInput("a bad file")

    assert gc.isenabled()
    with pytest.raises(InvalidInput):
        parse()
    assert seen == [False]
    assert gc.isenabled()
    gc.disable()
    try:
        with pytest.raises(InvalidInput):
            parse()
        assert not gc.isenabled()  # a caller that had paused it keeps it paused
    finally:
        gc.enable()
