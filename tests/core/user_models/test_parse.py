"""Plain-language requests about a user's models: a table of phrasings and what each must become."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.sports import Market, Sport
from core.user_models.parse import (
    Create,
    Delete,
    ExistingModel,
    NotUnderstood,
    Pause,
    Request,
    Resume,
    Update,
    parse_request,
)
from core.user_models.spec import ModelSpec, Source

STATS, MOVE, INJ, FORM, H2H = (
    Source.TEAM_STATS,
    Source.ODDS_MOVEMENT,
    Source.INJURIES,
    Source.RECENT_FORM,
    Source.HEAD_TO_HEAD,
)
EVEN = dict.fromkeys(Source, 0.2)


def _spec(
    name: str, sports: Sport | tuple[Sport, ...], weights: dict[Source, float], **more: Any
) -> ModelSpec:
    return ModelSpec(
        name=name, sports=sports if isinstance(sports, tuple) else (sports,), weights=weights, **more
    )


HOOPS = ExistingModel(1, "Hoops", _spec("Hoops", Sport.NBA, {FORM: 0.5, STATS: 0.5}, min_confidence=0.6))
ICE = ExistingModel(2, "Ice", _spec("Ice", Sport.NHL, EVEN))
GRID = ExistingModel(
    3,
    "Gridiron",
    _spec("Gridiron", Sport.NFL, {H2H: 0.7, STATS: 0.3}, markets=(Market.SPREADS, Market.TOTALS)),
)
ONE = (HOOPS,)
THREE = (HOOPS, ICE, GRID)
FULL = (*THREE, *(ExistingModel(i, f"Spare {i}", _spec(f"Spare {i}", Sport.MLB, EVEN)) for i in (4, 5)))
INJURIES_ONLY = (ExistingModel(7, "Hurt", _spec("Hurt", Sport.NBA, {INJ: 1})),)
TAKEN_NAME = (
    ExistingModel(4, "NBA form/injuries/movement", _spec("NBA form/injuries/movement", Sport.NHL, EVEN)),
)


def _update(model: ExistingModel, **changes: Any) -> Update:
    return Update(model.id, replace(model.spec, **changes))


@dataclass(frozen=True)
class Fails:
    """A ``NotUnderstood`` whose message contains ``says`` and that names exactly ``unknown``."""

    says: str
    unknown: tuple[str, ...] = ()


NBA_404030 = Create(
    _spec("NBA form/injuries/movement", Sport.NBA, {FORM: 0.4, INJ: 0.3, MOVE: 0.3}, min_confidence=0.6)
)
BRIEF = (
    "my NBA model weights recent form 40%, injuries 30%, line movement 30%, "
    "and only bets when it is at least 60% sure"
)

TABLE: list[tuple[str, tuple[ExistingModel, ...], Request | Fails]] = [
    # --- the ten from the brief
    ("NBA: 40% recent form, 30% injuries, 30% line movement, bet above 60%", (), NBA_404030),
    (
        "mostly head to head, a little team stats, NFL only",
        (),
        Create(_spec("NFL h2h/stats", Sport.NFL, {H2H: 0.7, STATS: 0.3})),
    ),
    ("equal weights on everything for the NHL", (), Create(_spec("NHL balanced", Sport.NHL, EVEN))),
    (
        "ignore injuries, split the rest evenly, EPL",
        (),
        Create(_spec("EPL form/h2h/movement", Sport.EPL, {STATS: 0.25, MOVE: 0.25, FORM: 0.25, H2H: 0.25})),
    ),
    (
        "70/30 form and odds movement for baseball",
        (),
        Create(_spec("MLB form/movement", Sport.MLB, {FORM: 0.7, MOVE: 0.3})),
    ),
    (
        "only totals in the NBA, form 50 team stats 50",
        THREE,
        Create(_spec("NBA form/stats totals", Sport.NBA, {FORM: 0.5, STATS: 0.5}, markets=(Market.TOTALS,))),
    ),
    # form 0.5 / stats 0.5 rescale to fill the other 50%: 0.25 each
    ("make injuries 50%", ONE, _update(HOOPS, weights={INJ: 0.5, FORM: 0.25, STATS: 0.25})),
    ("pause my NBA model", THREE, Pause(1)),
    ("turn the threshold down to 55%", ONE, _update(HOOPS, min_confidence=0.55)),
    ("delete the hockey one", THREE, Delete(2)),
    # --- more ways to create
    (BRIEF, (), NBA_404030),
    ("NBA: 40% recent form, 30% injuries, 30% line movement, bet above 60%", THREE, NBA_404030),
    (
        "NBA: 40% recent form, 30% injuries, 30% line movement, bet above 60%",
        TAKEN_NAME,
        Create(replace(NBA_404030.spec, name="NBA form/injuries/movement 2")),
    ),
    (
        "40 percent form, 60 percent injuries for the NFL",
        (),
        Create(_spec("NFL injuries/form", Sport.NFL, {FORM: 0.4, INJ: 0.6})),
    ),
    (
        "please build me a basketball model using injuries and head to head",
        THREE,
        Create(_spec("NBA h2h/injuries", Sport.NBA, {INJ: 0.5, H2H: 0.5})),
    ),
    (
        "football: 60% form, the rest team stats",
        (),
        Create(_spec("EPL form/stats", Sport.EPL, {FORM: 0.6, STATS: 0.4})),
    ),
    ("american football, split evenly", (), Create(_spec("NFL balanced", Sport.NFL, EVEN))),
    (
        "NBA, 50% odds movement, split the rest evenly, threshold 70%",
        (),
        Create(
            _spec(
                "NBA movement/form/h2h",
                Sport.NBA,
                {MOVE: 0.5, STATS: 0.125, INJ: 0.125, FORM: 0.125, H2H: 0.125},
                min_confidence=0.7,
            )
        ),
    ),
    (
        "spreads and totals for the NFL and NBA, form 60 injuries 40",
        (),
        Create(
            _spec(
                "NBA/NFL form/injuries spreads/totals",
                (Sport.NBA, Sport.NFL),
                {FORM: 0.6, INJ: 0.4},
                markets=(Market.SPREADS, Market.TOTALS),
            )
        ),
    ),
    (
        "NHL model called Ice Cold, mostly form, a little injuries",
        (),
        Create(_spec("Ice Cold", Sport.NHL, {FORM: 0.7, INJ: 0.3})),
    ),
    (
        "soccer, no totals, equal weights on form and head to head",
        (),
        Create(
            _spec(
                "EPL form/h2h moneyline/spreads",
                Sport.EPL,
                {FORM: 0.5, H2H: 0.5},
                markets=(Market.H2H, Market.SPREADS),
            )
        ),
    ),
    (
        "60-40 form and injuries, nba, at least 0.6 confidence",
        (),
        Create(_spec("NBA form/injuries", Sport.NBA, {FORM: 0.6, INJ: 0.4}, min_confidence=0.6)),
    ),
    (
        "NHL: bet only when 65% or more sure, injuries and form",
        (),
        Create(_spec("NHL form/injuries", Sport.NHL, {INJ: 0.5, FORM: 0.5}, min_confidence=0.65)),
    ),
    # --- edits
    (
        BRIEF,
        ONE,
        _update(HOOPS, weights={FORM: 0.4, INJ: 0.3, MOVE: 0.3}),
    ),
    ("model 2: make injuries 50%", THREE, _update(ICE, weights={**dict.fromkeys(Source, 0.125), INJ: 0.5})),
    ("#3 threshold 65%", THREE, _update(GRID, min_confidence=0.65)),
    ("add the NFL", ONE, _update(HOOPS, sports=(Sport.NBA, Sport.NFL))),
    ("add the NFL to Hoops", THREE, _update(HOOPS, sports=(Sport.NBA, Sport.NFL))),
    ("ignore team stats", ONE, _update(HOOPS, weights={FORM: 1.0})),
    ("only totals", ONE, _update(HOOPS, markets=(Market.TOTALS,))),
    ("rename Hoops to Buckets", THREE, _update(HOOPS, name="Buckets")),
    ("turn the NBA threshold down to 55%", THREE, _update(HOOPS, min_confidence=0.55)),
    ("drop injuries to 10%", (ICE,), _update(ICE, weights={**dict.fromkeys(Source, 0.225), INJ: 0.1})),
    ("equal weights", ONE, _update(HOOPS, weights=EVEN)),
    ("mostly injuries, a little form", ONE, _update(HOOPS, weights={INJ: 0.7, FORM: 0.3})),
    ("switch Hoops to the NFL", THREE, _update(HOOPS, sports=(Sport.NFL,))),
    # --- pause, resume, delete
    ("pause it", ONE, Pause(1)),
    ("resume the hockey one", THREE, Resume(2)),
    ("delete model 3", THREE, Delete(3)),
    ("remove the hockey one", THREE, Delete(2)),
    # --- not understood, and why
    ("build me a model that reads the stars", (), Fails("couldn't place 'stars'", ("stars",))),
    ("NBA 40% vibes", (), Fails("couldn't place 'vibes'", ("vibes",))),
    (
        "please build me a model with the vibes and the stars and the vibes for the NBA",
        (),
        Fails("'vibes', 'stars'", ("vibes", "stars")),
    ),
    ("make injuries 50%", THREE, Fails("Which model do you mean?")),
    ("threshold 99%", ONE, Fails("between 50% and 95%, got 99%")),
    ("pause the baseball one", THREE, Fails("no MLB model")),
    ("40% form, 60% injuries", (), Fails("Which sport")),
    ("delete model 9", THREE, Fails("no model #9")),
    ("70/30/10 form and injuries for the NBA", (), Fails("3 parts but I found 2")),
    ("build an NBA model", FULL, Fails("5 models")),
    ("pause my NBA model and make injuries 50%", THREE, Fails("not both")),
    ("my NBA model", THREE, Fails("What should change in #1 'Hoops'")),
    ("NBA: form, 100% injuries", (), Fails("leaving nothing for recent form")),
    ("make injuries 50%", INJURIES_ONLY, Fails("none of them has any weight")),
    ('create an nba model called "Hoops"', ONE, Fails("already have a model called 'Hoops'")),
    ("remove the NFL from Gridiron", THREE, Fails("at least one sport")),
    ("NBA, ignore everything", (), Fails("nothing to weigh")),
    ("", (), Fails("Describe a model")),
]


@pytest.mark.parametrize(
    ("text", "existing", "expected"), TABLE, ids=[f"{i:02d} {row[0][:40]}" for i, row in enumerate(TABLE)]
)
def test_phrasings(text: str, existing: tuple[ExistingModel, ...], expected: Request | Fails) -> None:
    got = parse_request(text, existing)
    if isinstance(expected, Fails):
        assert isinstance(got, NotUnderstood), got
        assert expected.says in got.message
        assert got.unknown_words == expected.unknown
    else:
        assert got == expected


def test_the_table_is_large_and_holds_the_briefs_ten() -> None:
    texts = [row[0] for row in TABLE]
    assert len(TABLE) >= 30
    for phrase in (
        "NBA: 40% recent form, 30% injuries, 30% line movement, bet above 60%",
        "mostly head to head, a little team stats, NFL only",
        "equal weights on everything for the NHL",
        "ignore injuries, split the rest evenly, EPL",
        "70/30 form and odds movement for baseball",
        "only totals in the NBA, form 50 team stats 50",
        "make injuries 50%",
        "pause my NBA model",
        "turn the threshold down to 55%",
        "delete the hockey one",
    ):
        assert phrase in texts


def test_a_partial_edit_rescales_the_other_sources_proportionally() -> None:
    # injuries 0.3 → 0.5; form 0.4 and movement 0.3 share the other 0.5 in the ratio 4:3
    existing = (ExistingModel(1, "Hoops", NBA_404030.spec),)
    got = parse_request("make injuries 50%", existing)
    assert isinstance(got, Update)
    assert dict(got.spec.weights) == {STATS: 0.0, MOVE: 0.214286, INJ: 0.5, FORM: 0.285714, H2H: 0.0}


def test_filler_is_never_reported() -> None:
    text = "hey benny, please could you build me a new model for the NBA with form and injuries, thanks"
    got = parse_request(text, ())
    assert got == Create(_spec("NBA form/injuries", Sport.NBA, {FORM: 0.5, INJ: 0.5}))


def test_the_same_text_always_gives_the_same_answer() -> None:
    for text, existing, _ in TABLE:
        assert parse_request(text, existing) == parse_request(text, existing)


_VOCABULARY = [
    *" ".join(
        [
            "nba nfl hockey football soccer baseball form injuries odds line movement stats h2h",
            "mostly a little some equal evenly split rest everything ignore no add remove drop pause",
            "resume delete make turn threshold above least sure model my the one only totals spreads",
            "moneyline build new called hoops ice and , : . / # 3 40% 60 0.7 70/30 99% 0 -5 1e9 vibes",
        ]
    ).split(),
    "head to head",
]


@settings(deadline=None, max_examples=400)
@given(st.lists(st.sampled_from(_VOCABULARY), max_size=14), st.sampled_from([(), ONE, THREE, FULL]))
def test_any_text_gets_an_answer_and_never_an_exception(
    words: list[str], existing: tuple[ExistingModel, ...]
) -> None:
    got = parse_request(" ".join(words), existing)
    assert isinstance(got, Create | Update | Pause | Resume | Delete | NotUnderstood)
    if isinstance(got, NotUnderstood):
        assert got.message
        assert set(got.unknown_words) <= {"vibes", "e9", "called", "hoops", "ice"}  # never a known word


@settings(deadline=None, max_examples=200)
@given(st.text(max_size=60))
def test_arbitrary_characters_never_raise(text: str) -> None:
    assert isinstance(parse_request(text, THREE), Create | Update | Pause | Resume | Delete | NotUnderstood)
