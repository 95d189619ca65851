"""parse_* of The Odds API on the real payloads in ../shared/data/oddsapi/.

Where a case has no real payload (American prices, an empty bookmaker list, a 3-way NHL
market, a live score) the test makes one from a real file by a transformation it labels.
"""

from __future__ import annotations

import copy
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from core.collectors.oddsapi_parse import parse_events, parse_odds, parse_scores, parse_sports
from core.errors import InvalidInput, UpstreamError
from core.odds import decimal_to_american
from core.quotes import OddsQuote
from core.sports import Market, Side, Sport
from tests.core.collectors.support import load

FETCHED_AT = datetime(2030, 1, 1, tzinfo=UTC)  # far from every payload: a fallback is easy to spot

NFL_DECIMAL = "v4_odds_americanfootball_nfl_h2h_spreads_totals_us_decimal_iso.json"
NFL_UNIX = "v4_odds_americanfootball_nfl_spreads_totals_unix.json"
NBA_FANDUEL = "v4_odds_basketball_nba_h2h_spreads_totals_fanduel_iso.json"
NHL_FANDUEL = "v4_odds_icehockey_nhl_fanduel_iso.json"
EPL = "v4_odds_soccer_epl_h2h_h2hlay_eu_uk.json"
SCORES_UNIX = "v4_scores_americanfootball_nfl_mixed_unix.json"
SCORES_ISO = "v4_scores_americanfootball_nfl_upcoming_iso.json"


def _by(quotes: list[OddsQuote], **where: Any) -> list[OddsQuote]:
    return [q for q in quotes if all(getattr(q, k) == v for k, v in where.items())]


def _outcome_count(payload: list[dict[str, Any]], markets: set[str]) -> int:
    return sum(
        len(m["outcomes"])
        for e in payload
        for b in e["bookmakers"]
        for m in b["markets"]
        if m["key"] in markets
    )


# --- decimal prices, ISO dates -----------------------------------------------------------------


def test_nfl_decimal_payload_gives_one_quote_per_outcome(oddsapi_dir: Path) -> None:
    payload = load(oddsapi_dir / NFL_DECIMAL)
    quotes = parse_odds(payload, seen_at=FETCHED_AT, odds_format="decimal")
    assert len(quotes) == _outcome_count(payload, {"h2h", "spreads", "totals"}) == 920
    assert {q.game.sport for q in quotes} == {Sport.NFL}
    assert len({q.book for q in quotes}) == 16
    assert all(1.0 < q.price_decimal <= 10.0 for q in quotes)


def test_first_nfl_event_golden_values(oddsapi_dir: Path) -> None:
    """Bengals (home) v Bills (away) at FanDuel, read by hand from the file."""
    quotes = parse_odds(load(oddsapi_dir / NFL_DECIMAL), seen_at=FETCHED_AT, odds_format="decimal")
    game_quotes = _by(quotes, book="fanduel")
    game_quotes = [q for q in game_quotes if q.game.id == "68afbfc763fee8c6dcabf1c129275c5b"]
    game = game_quotes[0].game
    assert (game.home_team, game.away_team) == ("Cincinnati Bengals", "Buffalo Bills")
    assert game.commence_time == datetime(2023, 11, 6, 1, 22, 47, tzinfo=UTC)
    got = {(q.market, q.side): (q.price_decimal, q.point) for q in game_quotes}
    assert got == {
        (Market.H2H, Side.AWAY): (3.1, None),
        (Market.H2H, Side.HOME): (1.36, None),
        (Market.SPREADS, Side.AWAY): (1.93, 5.5),
        (Market.SPREADS, Side.HOME): (1.83, -5.5),
        (Market.TOTALS, Side.OVER): (1.8, 58.5),
        (Market.TOTALS, Side.UNDER): (1.96, 58.5),
    }
    assert {q.seen_at for q in game_quotes} == {datetime(2023, 11, 6, 2, 5, 41, tzinfo=UTC)}


def test_spread_points_are_each_teams_own_handicap(oddsapi_dir: Path) -> None:
    quotes = parse_odds(load(oddsapi_dir / NFL_DECIMAL), seen_at=FETCHED_AT, odds_format="decimal")
    spreads: dict[tuple[str, str], dict[Side, float]] = {}
    for q in _by(quotes, market=Market.SPREADS):
        assert q.point is not None
        spreads.setdefault((q.game.id, q.book), {})[q.side] = q.point
    assert spreads
    for points in spreads.values():
        assert points[Side.HOME] == -points[Side.AWAY]


def test_totals_are_over_and_under_on_one_line(oddsapi_dir: Path) -> None:
    quotes = parse_odds(load(oddsapi_dir / NBA_FANDUEL), seen_at=FETCHED_AT, odds_format="decimal")
    totals = _by(quotes, market=Market.TOTALS)
    assert Counter(q.side for q in totals) == {Side.OVER: 12, Side.UNDER: 12}
    lines: dict[str, set[float | None]] = {}
    for q in totals:
        lines.setdefault(q.game.id, set()).add(q.point)
    assert all(len(points) == 1 for points in lines.values())
    assert _by(quotes, game=totals[0].game, side=Side.OVER)[0].point == 224.5


def test_sides_come_from_names_not_positions(oddsapi_dir: Path) -> None:
    """Labelled transformation: reverse every outcome list; the parse must not change."""
    payload = load(oddsapi_dir / NBA_FANDUEL)
    reversed_payload = copy.deepcopy(payload)
    for event in reversed_payload:
        for book in event["bookmakers"]:
            for market in book["markets"]:
                market["outcomes"].reverse()
    plain = parse_odds(payload, seen_at=FETCHED_AT, odds_format="decimal")
    flipped = parse_odds(reversed_payload, seen_at=FETCHED_AT, odds_format="decimal")
    assert set(plain) == set(flipped)
    assert len(plain) == 72


def test_nhl_two_way_moneyline(oddsapi_dir: Path) -> None:
    quotes = parse_odds(load(oddsapi_dir / NHL_FANDUEL), seen_at=FETCHED_AT, odds_format="decimal")
    panthers = [q for q in quotes if q.game.home_team == "Florida Panthers" and q.market is Market.H2H]
    assert {(q.side, q.price_decimal) for q in panthers} == {(Side.HOME, 1.43), (Side.AWAY, 2.9)}
    assert len(quotes) == 24


# --- unix dates ----------------------------------------------------------------------------------


def test_unix_dates_parse_to_aware_utc(oddsapi_dir: Path) -> None:
    payload = load(oddsapi_dir / NFL_UNIX)
    assert isinstance(payload[0]["commence_time"], int)
    quotes = parse_odds(payload, seen_at=FETCHED_AT, odds_format="decimal")
    assert len(quotes) == 60
    first = quotes[0]
    assert first.game.commence_time == datetime.fromtimestamp(1731070100, UTC)
    assert first.seen_at == datetime.fromtimestamp(1731367296, UTC)
    assert all(q.seen_at.tzinfo is UTC and q.game.commence_time.tzinfo is UTC for q in quotes)
    assert {q.book for q in quotes} == {"williamhill_us"}
    assert {q.market for q in quotes} == {Market.SPREADS, Market.TOTALS}


# --- EPL: 3-way with Draw, h2h_lay ignored ---------------------------------------------------------


def test_epl_three_way_h2h_with_draw_and_lay_markets_ignored(oddsapi_dir: Path) -> None:
    payload = load(oddsapi_dir / EPL)
    assert _outcome_count(payload, {"h2h_lay"}) > 0  # the file really has exchange lay prices
    quotes = parse_odds(payload, seen_at=FETCHED_AT, odds_format="decimal")
    assert len(quotes) == _outcome_count(payload, {"h2h"}) == 930
    assert {q.market for q in quotes} == {Market.H2H}
    assert Counter(q.side for q in quotes) == {Side.HOME: 310, Side.AWAY: 310, Side.DRAW: 310}
    spurs = [q for q in quotes if q.game.id == "152454388558d4d22919ced2caec0328" and q.book == "mybookieag"]
    assert {(q.side, q.price_decimal) for q in spurs} == {
        (Side.HOME, 1.48),
        (Side.AWAY, 5.2),
        (Side.DRAW, 4.7),
    }
    assert min(q.price_decimal for q in quotes) >= 1.05
    assert max(q.price_decimal for q in quotes) <= 42


def test_lay_prices_never_leak_in_as_back_prices(oddsapi_dir: Path) -> None:
    """betfair_ex_eu quotes both; only its h2h (back) prices may appear."""
    payload = load(oddsapi_dir / EPL)
    quotes = parse_odds(payload, seen_at=FETCHED_AT, odds_format="decimal")
    event = payload[0]
    book = next(b for b in event["bookmakers"] if b["key"] == "betfair_ex_eu")
    back = next(m for m in book["markets"] if m["key"] == "h2h")
    expected = {o["price"] for o in back["outcomes"]}
    got = {q.price_decimal for q in quotes if q.game.id == event["id"] and q.book == "betfair_ex_eu"}
    assert got == expected


def test_a_soccer_h2h_without_a_draw_is_dropped(oddsapi_dir: Path) -> None:
    """Labelled transformation: delete the Draw outcome from one EPL market."""
    payload = load(oddsapi_dir / EPL)[:1]
    market = payload[0]["bookmakers"][0]["markets"][0]
    market["outcomes"] = [o for o in market["outcomes"] if o["name"] != "Draw"]
    quotes = parse_odds(payload, seen_at=FETCHED_AT, odds_format="decimal")
    assert not [q for q in quotes if q.book == payload[0]["bookmakers"][0]["key"]]
    assert quotes  # the other books of that game still count


def test_three_way_h2h_in_a_two_way_sport_is_dropped(oddsapi_dir: Path) -> None:
    """Labelled transformation: give FanDuel's NHL h2h a Draw (the betclic_fr quirk) and add an
    ``h2h_3_way`` market; both are dropped, spreads and totals stay."""
    payload = load(oddsapi_dir / NHL_FANDUEL)[:1]
    markets = payload[0]["bookmakers"][0]["markets"]
    h2h = next(m for m in markets if m["key"] == "h2h")
    h2h["outcomes"].append({"name": "Draw", "price": 4.1})
    markets.append({"key": "h2h_3_way", "last_update": h2h["last_update"], "outcomes": h2h["outcomes"]})
    quotes = parse_odds(payload, seen_at=FETCHED_AT, odds_format="decimal")
    assert {q.market for q in quotes} == {Market.SPREADS, Market.TOTALS}
    assert len(quotes) == 4


# --- American prices ----------------------------------------------------------------------------


def _as_american(payload: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """LABELLED TRANSFORMATION of a real payload: every decimal price becomes the integer
    American price the provider would send with oddsFormat=american (no American-format
    response exists in the shared data)."""
    american = copy.deepcopy(payload)
    for event in american:
        for book in event["bookmakers"]:
            for market in book["markets"]:
                for outcome in market["outcomes"]:
                    outcome["price"] = round(decimal_to_american(outcome["price"]))
    return american


def test_american_prices_convert_to_decimal(oddsapi_dir: Path) -> None:
    decimal_payload = load(oddsapi_dir / NBA_FANDUEL)
    american_payload = _as_american(decimal_payload)
    assert all(
        isinstance(o["price"], int) and abs(o["price"]) >= 100
        for e in american_payload
        for b in e["bookmakers"]
        for m in b["markets"]
        for o in m["outcomes"]
    )
    from_decimal = parse_odds(decimal_payload, seen_at=FETCHED_AT, odds_format="decimal")
    from_american = parse_odds(american_payload, seen_at=FETCHED_AT, odds_format="american")
    assert len(from_american) == len(from_decimal) == 72
    for d, a in zip(from_decimal, from_american, strict=True):
        assert (d.game, d.market, d.side, d.point) == (a.game, a.market, a.side, a.point)
        # Rounding to whole American odds moves a price by well under a cent.
        assert a.price_decimal == pytest.approx(d.price_decimal, abs=0.006)


def test_american_golden_conversions(oddsapi_dir: Path) -> None:
    """Labelled transformation: hand-set American prices on one real event."""
    payload = load(oddsapi_dir / NBA_FANDUEL)[:1]
    h2h = payload[0]["bookmakers"][0]["markets"][0]
    assert h2h["key"] == "h2h"
    prices = {"Dallas Mavericks": 240, "Orlando Magic": -110}
    for outcome in h2h["outcomes"]:
        outcome["price"] = prices[outcome["name"]]
    quotes = parse_odds(payload, seen_at=FETCHED_AT, odds_format="american")
    got = {q.side: q.price_decimal for q in quotes if q.market is Market.H2H}
    assert got[Side.AWAY] == pytest.approx(3.4)
    assert got[Side.HOME] == pytest.approx(1 + 100 / 110)


def test_decimal_payload_read_as_american_is_skipped_not_misread(oddsapi_dir: Path) -> None:
    """Decimal prices such as 1.91 are not valid American odds: every outcome is skipped."""
    quotes = parse_odds(load(oddsapi_dir / NBA_FANDUEL), seen_at=FETCHED_AT, odds_format="american")
    assert quotes == []


# --- seen_at ---------------------------------------------------------------------------------------


def test_seen_at_falls_back_from_market_to_bookmaker_to_fetch_time(oddsapi_dir: Path) -> None:
    """Labelled transformation: drop last_update from one market, then from its bookmaker too."""
    payload = load(oddsapi_dir / NBA_FANDUEL)[:1]
    book = payload[0]["bookmakers"][0]
    book["last_update"] = "2023-11-06T03:00:00Z"
    del book["markets"][0]["last_update"]
    quotes = parse_odds(payload, seen_at=FETCHED_AT, odds_format="decimal")
    seen = {q.market: q.seen_at for q in quotes}
    assert seen[Market.H2H] == datetime(2023, 11, 6, 3, 0, tzinfo=UTC)  # the bookmaker's
    assert seen[Market.SPREADS] == datetime(2023, 11, 6, 4, 5, 52, tzinfo=UTC)  # the market's

    del book["last_update"]
    quotes = parse_odds(payload, seen_at=FETCHED_AT, odds_format="decimal")
    assert {q.seen_at for q in quotes if q.market is Market.H2H} == {FETCHED_AT}


def test_seen_at_must_be_aware(oddsapi_dir: Path) -> None:
    with pytest.raises(InvalidInput, match="seen_at"):
        parse_odds(load(oddsapi_dir / NHL_FANDUEL), seen_at=datetime(2024, 1, 1), odds_format="decimal")


# --- missing data ------------------------------------------------------------------------------------


def test_empty_bookmaker_list_gives_no_quotes_but_keeps_the_game(oddsapi_dir: Path) -> None:
    """Labelled transformation: the NHL payload with its first event's bookmakers emptied."""
    payload = load(oddsapi_dir / NHL_FANDUEL)
    payload[0]["bookmakers"] = []
    quotes = parse_odds(payload, seen_at=FETCHED_AT, odds_format="decimal")
    assert len(quotes) == 18
    assert payload[0]["id"] not in {q.game.id for q in quotes}
    assert payload[0]["id"] in {g.id for g in parse_events(payload)}
    assert parse_odds([], seen_at=FETCHED_AT, odds_format="decimal") == []


def test_bad_items_are_skipped_and_counted(oddsapi_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Labelled transformation: break one outcome's name, one price and one point."""
    payload = load(oddsapi_dir / NBA_FANDUEL)[:1]
    h2h, spreads, totals = payload[0]["bookmakers"][0]["markets"]
    h2h["outcomes"][0]["name"] = "Somebody Else"
    spreads["outcomes"][0]["price"] = 1.0
    del totals["outcomes"][0]["point"]
    with caplog.at_level("WARNING", logger="core.collectors.oddsapi_parse"):
        quotes = parse_odds(payload, seen_at=FETCHED_AT, odds_format="decimal")
    assert len(quotes) == 3
    assert "skipped 3" in caplog.text


def test_events_of_sports_benny_does_not_model_are_ignored(oddsapi_dir: Path) -> None:
    """Labelled transformation: relabel one event as NCAAF (as ``sport=upcoming`` mixes sports)."""
    payload = load(oddsapi_dir / NHL_FANDUEL)
    payload[0]["sport_key"] = "americanfootball_ncaaf"
    assert len(parse_events(payload)) == 3
    assert len(parse_odds(payload, seen_at=FETCHED_AT, odds_format="decimal")) == 18


def test_historical_wrapper_is_unwrapped(oddsapi_dir: Path) -> None:
    events = load(oddsapi_dir / NHL_FANDUEL)
    wrapped = {"timestamp": "2023-11-06T04:05:00Z", "previous_timestamp": None, "data": events}
    assert parse_odds(wrapped, seen_at=FETCHED_AT, odds_format="decimal") == parse_odds(
        events, seen_at=FETCHED_AT, odds_format="decimal"
    )


@pytest.mark.parametrize("payload", [{"message": "nope"}, "text", None, 3])
def test_a_payload_that_is_not_a_list_is_an_upstream_error(payload: Any) -> None:
    with pytest.raises(UpstreamError, match="expected a JSON list"):
        parse_odds(payload, seen_at=FETCHED_AT, odds_format="decimal")


def test_odds_format_is_checked() -> None:
    with pytest.raises(InvalidInput, match="odds_format"):
        parse_odds([], seen_at=FETCHED_AT, odds_format="fractional")  # type: ignore[arg-type]


# --- events ------------------------------------------------------------------------------------------


def test_parse_events_reads_every_shape(oddsapi_dir: Path) -> None:
    for name, count in [(NFL_DECIMAL, 14), (NFL_UNIX, 15), (EPL, 20), (SCORES_UNIX, 27), (SCORES_ISO, 31)]:
        games = parse_events(load(oddsapi_dir / name))
        assert len(games) == count, name
        assert all(g.commence_time.tzinfo is UTC for g in games)
    games = parse_events(load(oddsapi_dir / EPL))
    assert games[0].sport is Sport.EPL
    assert (games[0].home_team, games[0].away_team) == ("Tottenham Hotspur", "West Ham United")


# --- scores ------------------------------------------------------------------------------------------


def test_only_the_completed_game_becomes_a_final_score(oddsapi_dir: Path) -> None:
    payload = load(oddsapi_dir / SCORES_UNIX)
    assert Counter(e["completed"] for e in payload) == {False: 26, True: 1}
    (final,) = parse_scores(payload)
    assert final.game.id == "ac99fa94b66a64304ae19873d0a7907a"
    # The file lists Washington (away) first: scores are matched by name.
    assert payload[0]["scores"][0]["name"] == "Washington Commanders"
    assert (final.game.home_team, final.home_score) == ("Philadelphia Eagles", 26)
    assert (final.game.away_team, final.away_score) == ("Washington Commanders", 18)
    assert final.completed_at == datetime.fromtimestamp(1731663957, UTC)


def test_null_scores_before_kickoff_are_left_alone(oddsapi_dir: Path) -> None:
    payload = load(oddsapi_dir / SCORES_ISO)
    assert all(e["scores"] is None and e["last_update"] is None for e in payload)
    assert parse_scores(payload) == []


def test_live_string_scores_are_not_results(oddsapi_dir: Path) -> None:
    """Labelled transformation: the completed game marked in play again (string scores, not final)."""
    payload = load(oddsapi_dir / SCORES_UNIX)
    payload[0]["completed"] = False
    assert parse_scores(payload) == []


def test_completed_at_falls_back_to_commence_time(oddsapi_dir: Path) -> None:
    """Labelled transformation: the final with its last_update nulled."""
    payload = load(oddsapi_dir / SCORES_UNIX)[:1]
    payload[0]["last_update"] = None
    (final,) = parse_scores(payload)
    assert final.completed_at == datetime.fromtimestamp(1731633300, UTC)


def test_final_with_mismatched_names_or_junk_scores_is_skipped(oddsapi_dir: Path) -> None:
    """Labelled transformations: rename one team in the scores; then make a score unreadable."""
    payload = load(oddsapi_dir / SCORES_UNIX)[:1]
    renamed = copy.deepcopy(payload)
    renamed[0]["scores"][0]["name"] = "Washington"
    assert parse_scores(renamed) == []
    junk = copy.deepcopy(payload)
    junk[0]["scores"][1]["score"] = "twenty-six"
    assert parse_scores(junk) == []
    nulled = copy.deepcopy(payload)
    nulled[0]["scores"] = None
    assert parse_scores(nulled) == []


# --- sports ------------------------------------------------------------------------------------------


def test_sports_list(oddsapi_dir: Path) -> None:
    rows = parse_sports(load(oddsapi_dir / "v4_sports_list.json"))
    assert len(rows) == 59
    assert sum(r.has_outrights for r in rows) == 11
    assert all(r.active for r in rows)
    modelled = {r.sport for r in rows if r.sport is not None}
    assert modelled == {Sport.NBA, Sport.NFL, Sport.NHL, Sport.EPL}  # no MLB in this capture
    nba = next(r for r in rows if r.key == "basketball_nba")
    assert (nba.group, nba.title, nba.has_outrights) == ("Basketball", "NBA", False)
