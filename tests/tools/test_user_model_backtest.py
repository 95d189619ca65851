"""A user model's backtest: stored closing signals equal the live path's, game by game, and no look-ahead."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from core.clock import FixedClock
from core.models.offset_logistic import binary_logit
from core.models.training import market_prior
from core.sports import Market, Sport
from core.user_models.combine import combine_one
from core.user_models.signals import signal_vector
from core.user_models.spec import ModelSpec, Source
from services.feeds import sim_world
from services.game_contexts import contexts_at
from services.user_model_backtest import Arrays, fitted_slope, later_summary, probabilities
from store.db import unit_of_work
from store.history import save_history
from store.odds import games_with_ids
from store.signals import latest_signals
from tests.conftest import make_settings
from tools.backtests import backtest_user_model
from tools.context import ToolContext, bind, open_context
from tools.user_models import create_user_model

NOW = datetime(2025, 12, 20, 12, tzinfo=UTC)
TEXT = "NBA: 40% recent form, 30% injuries, 30% line movement, bet above 55%"


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An NBA season's first two months, simulated, stored as the collectors would have."""
    from core.sim.history import sim_history

    url = f"sqlite:///{tmp_path_factory.mktemp('bt') / 'bt.db'}"
    settings = make_settings(url, BENNY_NOW=NOW.isoformat())
    from services.setup import prepare_database

    engine = prepare_database(settings)
    games = sim_history(sim_world(settings.sim_seed), Sport.NBA, NOW - timedelta(days=75), NOW)
    with unit_of_work(engine) as session:
        save_history(session=session, games=games)
    engine.dispose()
    return url


@pytest.fixture
def ctx(history: str) -> ToolContext:
    from services.setup import prepare_database

    settings = make_settings(history, BENNY_NOW=NOW.isoformat())
    return replace(open_context(settings=settings, engine=prepare_database(settings)), clock=FixedClock(NOW))


def test_the_backtest_scores_the_window_with_a_slope_fit_before_it(ctx: ToolContext) -> None:
    with bind(ctx):
        model = create_user_model(TEXT, confirm=True).model
        assert model is not None
        view = backtest_user_model(model.id, days=30)
    by_market = {m.market: m for m in view.markets}
    assert set(by_market) == {"h2h", "spreads", "totals"}
    h2h = by_market["h2h"]
    assert h2h.games > 100 and h2h.bets <= h2h.games and h2h.slope >= 0.0
    assert h2h.brier is not None and 0.15 < h2h.brier < 0.3
    assert len(h2h.bankroll_units) == h2h.bets


def test_stored_signals_and_probabilities_equal_the_live_path_game_by_game(ctx: ToolContext) -> None:
    with bind(ctx):
        model = create_user_model(TEXT, confirm=True).model
        assert model is not None
        backtest_user_model(model.id, days=30)  # fills the closing signals
    spec = ModelSpec.from_json(
        {
            "name": "x",
            "sports": ["basketball_nba"],
            "weights": {"recent_form": 0.4, "injuries": 0.3, "odds_movement": 0.3},
        }
    )
    weights = [spec.weights[s] for s in Source]
    with unit_of_work(ctx.engine) as session:
        rows = latest_signals(
            session=session,
            sport_keys=["basketball_nba"],
            markets=["h2h"],
            start=NOW - timedelta(days=30),
            end=NOW,
        )[:40]
        arrays = Arrays.of_rows(rows, Sport.NBA, Market.H2H)
        k = fitted_slope(arrays, weights) or 0.37  # any slope: the equality must hold for it
        fast = probabilities(arrays, weights, k)
        for i, row in enumerate(rows):
            [context] = contexts_at(
                session, now=row.as_of, rows=games_with_ids(session=session, game_ids=[row.game_id])
            )
            book = context.markets[Market.H2H]
            prior = market_prior(book, method="multiplicative", sharp_weight=2.0)
            assert prior is not None
            live = signal_vector(context, Market.H2H)
            slow = combine_one(float(binary_logit(prior)), [live[s.value] for s in Source], weights, k)
            assert fast[i][0] == pytest.approx(slow, abs=1e-9)
            stored = [row.signals[s.value] for s in Source]
            assert all(
                (a is None and b is None)
                or (a is not None and b is not None and math.isclose(a, b, abs_tol=1e-12))
                for a, b in zip(stored, [live[s.value] for s in Source], strict=True)
            )


def test_many_variants_on_the_same_window_are_counted_and_warned_about(ctx: ToolContext) -> None:
    from tools.user_models import update_user_model

    with bind(ctx):
        model = create_user_model("NBA: 50% recent form, 50% line movement", confirm=True).model
        assert model is not None
        first = backtest_user_model(model.id, days=30)
        assert backtest_user_model(model.id, days=30).variants_tried == first.variants_tried  # same spec
        assert first.warning is None
        for share in (10, 20, 30, 40, 60, 70):
            update_user_model(f"model {model.id}: make injuries {share}%", confirm=True)
            last = backtest_user_model(model.id, days=30)
    assert last.variants_tried == first.variants_tried + 6
    assert last.warning is not None and str(last.variants_tried) in last.warning
    # The later days give the figure the choosing never saw, and say how often they were shown.
    assert last.later_variants == last.variants_tried
    assert f"{last.end:%Y-%m-%d} to {last.later_end:%Y-%m-%d}" in last.warning
    assert later_summary(last.later, last.end, last.later_end) in last.warning


def test_the_later_window_is_scored_apart_with_its_own_slope_fit_before_it(ctx: ToolContext) -> None:
    from services.user_model_backtest import score
    from store.user_models import get_model

    with bind(ctx):
        model = create_user_model(TEXT, confirm=True).model
        assert model is not None
        view = backtest_user_model(model.id, days=40, later_days=10)
        whole = backtest_user_model(model.id, days=40, later_days=0)
    split = NOW - timedelta(days=10)
    assert (view.start, view.end, view.later_end) == (NOW - timedelta(days=40), split, NOW)
    assert whole.end == whole.later_end == NOW and whole.later == []
    with unit_of_work(ctx.engine) as session:
        row = get_model(session=session, user_id=ctx.user.id, model_id=model.id)
        assert row is not None
        spec = ModelSpec.from_json(row.spec)

        # Read through the full row reader and Python, not the database's JSON extraction.
        def read(market: Market, start: datetime, end: datetime, known: datetime) -> Arrays:
            rows = latest_signals(
                session=session, sport_keys=["basketball_nba"], markets=[market.value], start=start, end=end
            )
            done = [r for r in rows if r.completed_at is not None and r.completed_at < known]
            return Arrays.of_rows(done, Sport.NBA, market)

        expected = [
            score(
                read(m, split, NOW, NOW),
                read(m, split - timedelta(days=365), split, split),
                spec,
                Sport.NBA,
                m,
            )
            for m in (Market.H2H, Market.SPREADS, Market.TOTALS)
        ]
    assert [m.model_dump() for m in view.later] == [m.model_dump() for m in expected]
    assert sum(m.games for m in view.markets) + sum(m.games for m in view.later) == sum(
        m.games for m in whole.markets
    )
    assert view.later[0].games > 0 and view.later[0].slope != view.markets[0].slope


@pytest.mark.parametrize("later_days", [-1, 34])
def test_a_later_window_that_leaves_under_a_week_to_tune_on_is_refused(
    ctx: ToolContext, later_days: int
) -> None:
    from core.errors import InvalidInput
    from tools.user_models import list_user_models

    with bind(ctx):
        model = list_user_models()[0]  # the module's database already holds models
        with pytest.raises(InvalidInput, match="later_days must be between 0 and 33"):
            backtest_user_model(model.id, days=40, later_days=later_days)


def test_the_chat_backtests_a_model_and_charts_its_bankroll(ctx: ToolContext) -> None:
    from agent.brain import OfflineBrain
    from agent.graph import ask, build_graph
    from agent.state import text_of, tool_uses
    from presentation.charts import chart_data

    with bind(ctx):
        model = create_user_model(TEXT, confirm=True).model
        assert model is not None
    turn = ask(build_graph(OfflineBrain()), f"backtest model {model.id} over 30 days", ctx)
    [call] = tool_uses(turn[1])
    assert call["name"] == "backtest_user_model" and call["input"] == {"model_id": model.id, "days": 30}
    with bind(ctx):
        expected = backtest_user_model(model.id, days=30)
    answer = text_of(turn[-1])
    for m in expected.markets:
        assert f"| {m.games} | {m.bets} |" in answer
    chart = chart_data("backtest_user_model", expected)
    assert chart is not None and chart["kind"] == "units"
    assert all(
        len(units) == m.bets
        for units, m in zip(chart["series"].values(), [m for m in expected.markets if m.bets], strict=True)
    )
