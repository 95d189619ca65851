""" "Latest" is a rule of the database: one latest original and one latest inverse per game, model
(or user model) and market, whoever writes; revision 0015 settles the rows written before it.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from core.models.base import MarketPrediction
from core.quotes import GameInfo
from core.sports import Market, Side
from store import migrate
from store.db import make_engine, unit_of_work
from store.odds import save_games
from store.predictions import Predicted, save_predictions
from store.tables import Prediction, table_of
from store.user_models import insert_model
from store.users import create_user
from tests.conftest import NOW
from tests.factories import game

G1, G2 = game("g1"), game("g2", home="Miami Heat", away="Chicago Bulls")


def _predicted(
    g: GameInfo, pick: Side, *, model: str = "value", user_model_id: int | None = None
) -> Predicted:
    p_home = 0.6 if pick is Side.HOME else 0.4
    prediction = MarketPrediction(
        market=Market.H2H,
        point=None,
        probabilities={Side.HOME: p_home, Side.AWAY: 1 - p_home},
        pick=pick,
        reason={},
    )
    return Predicted(game=g, model=model, prediction=prediction, confidence=0.6, user_model_id=user_model_id)


def _latest(engine: Engine) -> list[dict[str, Any]]:
    pred = table_of(Prediction)
    with unit_of_work(engine) as session:
        rows = session.execute(sa.select(pred).where(pred.c.latest.is_(True)).order_by(pred.c.id))
        return [dict(r._mapping) for r in rows]


def _user_models(session: Any, count: int) -> list[int]:
    user = create_user(session=session, name="ada", now=NOW)
    assert user.id is not None
    return [
        insert_model(
            session=session, user_id=user.id, slot=slot, name=f"m{slot}", spec={}, min_confidence=0.5,
            status="active", now=NOW,
        )
        for slot in range(1, count + 1)
    ]  # fmt: skip


@pytest.fixture
def games(any_engine: Engine) -> Engine:
    with unit_of_work(any_engine) as session:
        save_games(session=session, games=[G1, G2])
    return any_engine


def test_a_second_latest_row_of_a_pick_is_refused(games: Engine) -> None:
    with unit_of_work(games) as session:
        save_predictions(session=session, items=[_predicted(G1, Side.HOME)], as_of=NOW)
    original, inverse = _latest(games)
    pred = table_of(Prediction)
    for row in (original, inverse):
        copy = {k: v for k, v in row.items() if k != "id"} | {"as_of": NOW + timedelta(minutes=1)}
        with pytest.raises(sa.exc.IntegrityError), unit_of_work(games) as session:
            session.execute(sa.insert(pred), [copy])
        # The same pick as history (not latest), another model's and another game's are all fine.
        with unit_of_work(games) as session:
            session.execute(
                sa.insert(pred),
                [copy | {"latest": False}, copy | {"model": "consensus"}, copy | {"game_id": G2.id}],
            )
    assert len(_latest(games)) == 2 + 2 * 2


def test_each_user_model_has_its_own_latest_under_the_shared_model_name(games: Engine) -> None:
    with unit_of_work(games) as session:
        first, second = _user_models(session, 2)
        save_predictions(
            session=session,
            items=[
                _predicted(G1, Side.HOME, model="user_model", user_model_id=first),
                _predicted(G1, Side.HOME, model="user_model", user_model_id=second),
            ],
            as_of=NOW,
        )
    with unit_of_work(games) as session:
        save_predictions(
            session=session,
            items=[_predicted(G1, Side.AWAY, model="user_model", user_model_id=first)],
            as_of=NOW + timedelta(hours=1),
        )
    latest = _latest(games)
    assert Counter(r["user_model_id"] for r in latest) == {first: 2, second: 2}
    assert {r["side"] for r in latest if r["user_model_id"] == first and not r["is_inverse"]} == {"away"}
    copy = {k: v for k, v in latest[0].items() if k != "id"}
    with pytest.raises(sa.exc.IntegrityError), unit_of_work(games) as session:
        session.execute(sa.insert(table_of(Prediction)), [copy])


def test_the_upgrade_keeps_the_newest_latest_pair_of_each_pick(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine, "0014")
    with unit_of_work(engine) as session:
        save_games(session=session, games=[G1, G2])
        user_model = _user_models(session, 1)[0]

    def analysis(as_of_minutes: int, items: list[Predicted]) -> None:
        # What two analyses racing before 0015 did: each stores its rows as latest, unflagging nothing.
        pred = table_of(Prediction)
        with unit_of_work(engine) as session:
            save_predictions(session=session, items=items, as_of=NOW + timedelta(minutes=as_of_minutes))
            session.execute(sa.update(pred).values(latest=True))

    analysis(0, [_predicted(G1, Side.HOME), _predicted(G2, Side.HOME)])
    analysis(5, [_predicted(G1, Side.AWAY), _predicted(G1, Side.AWAY, model="consensus")])
    analysis(5, [_predicted(G1, Side.HOME, model="user_model", user_model_id=user_model)])
    analysis(5, [_predicted(G1, Side.AWAY, model="user_model", user_model_id=user_model)])
    # Two at one moment whose inserts interleaved: the later original's inverse has the lower id.
    pred = table_of(Prediction)
    home, home_inverse = (r | {"model": "contrarian"} for r in _latest(engine) if r["game_id"] == "g2")
    with unit_of_work(engine) as session:

        def insert(row: dict[str, Any], **changes: Any) -> int:
            values = {k: v for k, v in row.items() if k != "id"} | changes
            return int(session.execute(sa.insert(pred).returning(pred.c.id), [values]).scalar_one())

        first = insert(home)
        second = insert(home, side="away")
        insert(home_inverse, side="home", inverse_of_id=second)
        insert(home_inverse, inverse_of_id=first)
        total = session.execute(sa.select(sa.func.count()).select_from(pred)).scalar_one()

    migrate.upgrade(engine)
    latest = _latest(engine)
    picks = {(r["game_id"], r["model"], r["user_model_id"], r["is_inverse"]): r for r in latest}
    assert len(picks) == len(latest) == 10
    originals = {k: r for k, r in picks.items() if not k[3]}
    # The newer analysis wins; of two at the same moment, the later insert.
    assert {k[:3]: r["side"] for k, r in originals.items()} == {
        ("g1", "value", None): "away",
        ("g2", "value", None): "home",
        ("g1", "consensus", None): "away",
        ("g1", "user_model", user_model): "away",
        ("g2", "contrarian", None): "away",
    }
    for key, original in originals.items():
        inverse = picks[(*key[:3], True)]
        assert inverse["inverse_of_id"] == original["id"]
    with unit_of_work(engine) as session:
        assert session.execute(sa.select(sa.func.count()).select_from(pred)).scalar_one() == total
    engine.dispose()


def test_sqlite_finds_the_previous_latest_rows_through_the_game(sqlite_url: str) -> None:
    # Without statistics SQLite once chose the user-model index for "user_model_id IS NULL" and
    # walked every system prediction ever stored to unflag a slate's few.
    engine = make_engine(sqlite_url)
    migrate.upgrade(engine)
    plans: list[str] = []

    def explain(conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if statement.startswith("UPDATE predictions"):
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            plans.extend(row[3] for row in plan)

    with unit_of_work(engine) as session:
        save_games(session=session, games=[G1, G2])
        user_model = _user_models(session, 1)[0]
    sa.event.listen(engine, "before_cursor_execute", explain)
    with unit_of_work(engine) as session:
        items = [_predicted(G1, Side.HOME), _predicted(G2, Side.AWAY)]
        items.append(_predicted(G1, Side.HOME, model="user_model", user_model_id=user_model))
        save_predictions(session=session, items=items, as_of=NOW)
    sa.event.remove(engine, "before_cursor_execute", explain)
    assert plans == [
        "SEARCH predictions USING INDEX uq_predictions_latest (game_id=? AND model=? AND market=?)",
        "SEARCH predictions USING INDEX uq_predictions_latest_user_model "
        "(game_id=? AND user_model_id=? AND model=? AND market=?)",
    ]
    engine.dispose()
