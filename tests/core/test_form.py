"""Form statistics: records, streaks, rest, ATS and totals, head-to-head; nothing after as_of."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.form import TeamGame, head_to_head, team_form

T = datetime(2025, 1, 10, 0, 30, tzinfo=UTC)


def g(days_ago: float, pf: int, pa: int, *, opp: int = 2, home: bool = True, spread: float | None = None,
      total: float | None = None) -> TeamGame:  # fmt: skip
    return TeamGame(f"g{days_ago}", T - timedelta(days=days_ago), opp, home, pf, pa, spread, total)


def test_record_streak_and_averages() -> None:
    history = [g(1, 110, 100), g(3, 105, 99, home=False), g(5, 90, 101), g(7, 100, 95)]
    form = team_form(1, history, as_of=T)
    assert (form.games, form.wins, form.losses) == (4, 3, 1)
    assert form.last_results == "WWLW"
    assert form.streak == "W2"
    assert form.points_for_avg == 101.25
    assert form.margin_avg == (10 + 6 - 11 + 5) / 4
    assert (form.home_record, form.away_record) == ("2-1", "1-0")


def test_rest_and_back_to_backs() -> None:
    history = [g(1, 110, 100)]
    assert team_form(1, history, as_of=T).back_to_back is True
    rested = team_form(1, history, as_of=T, next_start=T + timedelta(days=2))
    assert rested.rest_days == 3.0 and rested.back_to_back is False


def test_games_at_or_after_as_of_are_ignored() -> None:
    future = TeamGame("later", T + timedelta(hours=1), 2, True, 200, 0)
    assert team_form(1, [future, g(2, 100, 101)], as_of=T).last_results == "L"


def test_against_the_spread_and_totals() -> None:
    # Won by 6 as a 4.5-point favourite: covered. Won by 3 at -3: push. Lost by 2 as +1.5: not covered.
    history = [
        g(1, 106, 100, spread=-4.5, total=210),
        g(3, 100, 97, spread=-3, total=197),
        g(5, 98, 100, spread=1.5),
    ]
    form = team_form(1, history, as_of=T)
    assert (form.ats_wins, form.ats_pushes, form.ats_losses) == (1, 1, 1)
    assert (form.overs, form.total_pushes, form.unders) == (0, 1, 1)


def test_draws_in_soccer_records() -> None:
    form = team_form(1, [g(3, 1, 1), g(10, 2, 0)], as_of=T)
    assert (form.draws, form.home_record, form.streak) == (1, "1-1-0", "D1")


def test_head_to_head_counts_only_that_opponent() -> None:
    history = [g(1, 100, 90, opp=7), g(5, 80, 90, opp=7), g(9, 120, 90, opp=3)]
    h2h = head_to_head(1, 7, history, as_of=T)
    assert (h2h.games, h2h.wins, h2h.losses, h2h.margin_avg) == (2, 1, 1, 0.0)
    assert h2h.last_meeting == T - timedelta(days=1)
