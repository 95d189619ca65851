"""Plain language to a model request, for the chat and the CLI: deterministic, and it never raises.

``parse_request(text, existing)`` answers ``Create``, ``Update`` (the whole new spec), ``Pause``,
``Resume``, ``Delete`` or ``NotUnderstood`` (a message, and the words it could not place; filler
such as *my*, *a*, *the*, *model*, *build*, *please* is never reported).

How a request is read:

- **Sports**: NBA/basketball, NFL/American football, MLB/baseball, NHL/(ice) hockey,
  EPL/Premier League/soccer; *football* alone means soccer, as in ``agent.brain``.
- **Markets**: moneyline, spreads, totals (and over/under). Naming markets restricts the model to
  them (*only totals*); *no totals* leaves the others; *all markets* restores all three.
- **Threshold**: a number after *above*, *over*, *at least*, *threshold*, *confidence* or *than*
  (filler such as *down to* may sit between), or before *sure*, *confident* or *or more*.
  ``60%``, ``60 percent``, ``60`` and ``0.6`` all mean 0.6.
- **Weights**: a number goes to the nearest data-source phrase in its clause (clauses end at
  commas and *and*): in a clause that opens with a number, each number takes the source after
  it (*40% recent form*); otherwise the one before it (*form 50 team stats 50*). A ratio takes
  the sources that follow it in order (*70/30 form and odds movement* is 0.7/0.3).
  Qualitative words stand for fixed amounts before normalising: *mostly*/*mainly*/*a lot of* 0.7,
  *some* 0.5, *a little*/*a bit of*/*slightly* 0.3, so *mostly X, a little Y* is 0.7/0.3.
  *ignore*/*no*/*without* a source gives it 0. Sources named without a number (and all of them
  for *everything*) share what the numbers leave, equally; *the rest* is that share, going to the
  sources named without a number (*60% form, the rest team stats*) or, if there are none, to all
  the others (*ignore injuries, split the rest evenly* is 0.25 on each of the other four). With
  nothing weighted at all, every source not ignored is equal. In a new model, sources left
  unmentioned get 0 once any weight is given, then ``ModelSpec`` normalises.
- **Partial edits**: when an edit only sets some sources to numbers summing below 100% (or only
  ignores some), the others keep their proportions and are rescaled to fill the rest: with
  form 0.5 and team stats 0.5, *make injuries 50%* gives injuries 0.5, form 0.25, stats 0.25.
  Anything else (a ratio, qualitative words, *evenly*, numbers reaching 100%) replaces the weights.
- **Which model**: ``model 3``/``#3``, its name, its sport (*my NBA model*, *the hockey one*), or
  the only one. Without a target, a request that names a sport and uses no edit verb (*make*,
  *set*, *turn*, *change*, ...) is a new model; *add the NFL* / *remove the NFL* edit the sports.
  *build*, *create*, *new*, *make me* always create. Ambiguity is a ``NotUnderstood`` saying why.
- **Names**: *called "Hoops"*, *named Hoops*, *rename Hoops to Buckets*; otherwise a new model
  gets ``default_name`` (with ``2``, ``3`` ... appended if a model already has that name).

The reading runs in three modules below this one: ``parse_lexicon`` (the words and what each
stands for), ``parse_tokens`` (text to items) and ``parse_slots`` (items to a ``Reading``: targets,
threshold, sports, markets and weights). This module turns a reading into the answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final

from core.errors import InvalidInput
from core.formatting import percent
from core.sports import Sport
from core.user_models.parse_slots import Reading, Weights, read
from core.user_models.spec import (
    ALL_MARKETS,
    DEFAULT_MIN_CONFIDENCE,
    MAX_MODELS_PER_USER,
    ModelSpec,
    Source,
    default_name,
)
from core.user_models.spec import ExistingModel as ExistingModel

__all__ = [
    "Create",
    "Delete",
    "ExistingModel",
    "NotUnderstood",
    "Pause",
    "Request",
    "Resume",
    "Update",
    "parse_request",
]


@dataclass(frozen=True, slots=True)
class Create:
    spec: ModelSpec


@dataclass(frozen=True, slots=True)
class Update:
    model_id: int
    spec: ModelSpec  # the whole spec after the edit


@dataclass(frozen=True, slots=True)
class Pause:
    model_id: int


@dataclass(frozen=True, slots=True)
class Resume:
    model_id: int


@dataclass(frozen=True, slots=True)
class Delete:
    model_id: int


@dataclass(frozen=True, slots=True)
class NotUnderstood:
    message: str
    unknown_words: tuple[str, ...] = ()


Request = Create | Update | Pause | Resume | Delete | NotUnderstood

_EPS: Final = 1e-9


def parse_request(text: str, existing: Sequence[ExistingModel]) -> Request:
    """Read one request about the user's models; every failure is a ``NotUnderstood``, never a raise."""
    if not isinstance(text, str) or not text.strip():
        return NotUnderstood(f"Describe a model, for example {_EXAMPLE}, or say which model to change.")
    try:
        return _decide(read(text, existing), existing)
    except InvalidInput as err:
        return NotUnderstood(f"That model would not work: {err}.")


_EXAMPLE: Final = "'NBA: 40% recent form, 30% injuries, 30% line movement, bet above 60%'"


# --- deciding -----------------------------------------------------------------------------------


def _decide(reading: Reading, existing: Sequence[ExistingModel]) -> Request:
    if reading.unknown:
        words = tuple(dict.fromkeys(reading.unknown))
        listed = ", ".join(f"'{w}'" for w in words)
        return NotUnderstood(
            f"I couldn't place {listed}. A model is made of sports (NBA, NFL, MLB, NHL, EPL), data sources "
            f"({', '.join(s.label for s in Source)}), markets (moneyline, spreads, totals) and a "
            f"threshold such as 'bet above 60%'; for example {_EXAMPLE}.",
            words,
        )
    if reading.problems:
        return NotUnderstood(reading.problems[0])
    by_id = {model.id: model for model in existing}
    explicit = list(dict.fromkeys(reading.ids))
    for model_id in explicit:
        if model_id not in by_id:
            return NotUnderstood(f"You have no model #{model_id}. {_listing(existing)}")
    sports = list(reading.sports)
    ambiguous: list[ExistingModel] = []
    for sport in reading.sport_refs:
        covering = _covering(existing, [sport])
        if reading.create or not covering:
            if reading.actions:
                return NotUnderstood(f"You have no {sport.title} model. {_listing(existing)}")
            sports.append(sport)
        elif len(covering) == 1:
            explicit.append(covering[0].id)
        else:
            ambiguous.extend(covering)
    explicit = list(dict.fromkeys(explicit))
    if ambiguous and not explicit:
        return _which(ambiguous)
    if len(explicit) > 1:
        named = ", ".join(f"#{i}" for i in explicit)
        return NotUnderstood(f"That names more than one model ({named}); change one at a time.")
    target = by_id[explicit[0]] if explicit else None

    if reading.actions:
        return _action(reading, existing, target, sports)
    if reading.create:
        if reading.ids:
            return NotUnderstood("Say either how a new model should look or which model to change, not both.")
        return _create(reading, existing, sports)
    if target is None and reading.edit:
        if not sports:
            found = _only(existing)
            if isinstance(found, NotUnderstood):
                return found
            target = found
        else:
            covering = _covering(existing, sports)
            if len(covering) == 1:
                target, sports = covering[0], []
            elif len(existing) == 1:
                target = existing[0]  # one model, another sport: the edit switches its sports
            else:
                return _which(covering or list(existing))
    if target is None:
        if sports:
            return _create(reading, existing, sports)
        if not existing and not (reading.add_sports or reading.remove_sports):
            return NotUnderstood(
                f"Which sport is this model for (NBA, NFL, MLB, NHL or EPL)? For example {_EXAMPLE}."
            )
        found = _only(existing)
        if isinstance(found, NotUnderstood):
            return found
        target = found
    if not reading.changes(sports):
        if reading.removal_verb:
            return Delete(target.id)
        return NotUnderstood(
            f"What should change in #{target.id} '{target.name}'? Weights ('make injuries 50%'), "
            "sports ('add the NFL'), markets ('only totals') or the threshold ('bet above 60%')."
        )
    return _update(reading, existing, target, sports)


def _action(
    reading: Reading, existing: Sequence[ExistingModel], target: ExistingModel | None, sports: list[Sport]
) -> Request:
    kinds = list(dict.fromkeys(reading.actions))
    if len(kinds) > 1:
        return NotUnderstood(f"Should I {' or '.join(kinds)}? Ask for one at a time.")
    if target is None and sports:
        covering = _covering(existing, sports)
        if len(covering) != 1:
            titles = "/".join(s.title for s in sports)
            return (
                _which(covering)
                if covering
                else NotUnderstood(f"You have no {titles} model. {_listing(existing)}")
            )
        target, sports = covering[0], []
    if target is None:
        found = _only(existing)
        if isinstance(found, NotUnderstood):
            return found
        target = found
    if reading.changes(sports):
        return NotUnderstood(
            f"I can {kinds[0]} a model or change it, but not both at once; ask for one, then the other."
        )
    if kinds[0] == "pause":
        return Pause(target.id)
    return Resume(target.id) if kinds[0] == "resume" else Delete(target.id)


def _create(reading: Reading, existing: Sequence[ExistingModel], sports: list[Sport]) -> Request:
    if len(existing) >= MAX_MODELS_PER_USER:
        return NotUnderstood(
            f"You already have {MAX_MODELS_PER_USER} models, the most allowed; delete one first."
        )
    chosen = [s for s in dict.fromkeys([*sports, *reading.add_sports]) if s not in reading.remove_sports]
    if not chosen:
        return NotUnderstood(
            f"Which sport is this model for (NBA, NFL, MLB, NHL or EPL)? For example {_EXAMPLE}."
        )
    markets = [*reading.markets, *reading.add_markets]
    if reading.all_markets or not markets:
        markets = list(ALL_MARKETS)
    threshold = reading.threshold if reading.threshold is not None else DEFAULT_MIN_CONFIDENCE
    spec = ModelSpec(
        name=reading.name or "new model",
        sports=tuple(chosen),
        markets=tuple(m for m in markets if m not in reading.remove_markets),
        weights=_full_weights(reading.weights),
        min_confidence=threshold,
    )
    taken = {model.name.casefold() for model in existing}
    if reading.name is None:
        return Create(replace(spec, name=_unique(default_name(spec), taken)))
    if spec.name.casefold() in taken:
        return NotUnderstood(f"You already have a model called '{spec.name}'; pick another name.")
    return Create(spec)


def _update(
    reading: Reading, existing: Sequence[ExistingModel], target: ExistingModel, sports: list[Sport]
) -> Request:
    old = target.spec
    chosen = [*(sports or old.sports), *reading.add_sports]
    markets = list(ALL_MARKETS) if reading.all_markets else (reading.markets or list(old.markets))
    spec = ModelSpec(
        name=reading.name or old.name,
        sports=tuple(s for s in chosen if s not in reading.remove_sports),
        markets=tuple(m for m in [*markets, *reading.add_markets] if m not in reading.remove_markets),
        weights=_update_weights(old.weights, reading.weights),
        min_confidence=reading.threshold if reading.threshold is not None else old.min_confidence,
        status=old.status,
    )
    if any(m.name.casefold() == spec.name.casefold() for m in existing if m.id != target.id):
        return NotUnderstood(f"You already have a model called '{spec.name}'; pick another name.")
    return Update(target.id, spec)


def _full_weights(weights: Weights) -> dict[Source, float]:
    """A whole weighting: numbers as given; sources named without one share what is left, equally."""
    given = dict(weights.given)
    zeroed = set(weights.zeroed)
    shared = list(weights.mentioned)
    if weights.everything:
        shared += list(Source)
    if weights.rest and not weights.mentioned:
        shared += [s for s in Source if s not in given]
    shared = [s for s in dict.fromkeys(shared) if s not in given and s not in zeroed]
    if not given and not shared:
        shared = [s for s in Source if s not in zeroed]
    if not given and not shared:
        raise InvalidInput("that leaves no data source with any weight")
    out = dict.fromkeys(Source, 0.0)
    out.update(given)
    left = 1.0 - sum(given.values())
    if shared:
        if left <= _EPS:
            names = ", ".join(s.label for s in shared)
            raise InvalidInput(
                f"the numbers already add up to {percent(1 - left, trim=True)}, leaving nothing for {names}"
            )
        out.update(dict.fromkeys(shared, left / len(shared)))
    return out


def _update_weights(old: Mapping[Source, float], weights: Weights) -> dict[Source, float]:
    """Numbers below 100% in total rescale the other sources to fill the rest; anything else replaces."""
    if not weights.any():
        return dict(old)
    total = sum(weights.given.values())
    partial = not (
        weights.relative or weights.everything or weights.rest or weights.equal or weights.mentioned
    )
    if not partial or total >= 1.0 - _EPS:
        return _full_weights(weights)
    out = dict(old)
    out.update(dict.fromkeys(weights.zeroed, 0.0))
    out.update(weights.given)
    others = [s for s in Source if s not in weights.given and s not in weights.zeroed]
    carried = sum(old[s] for s in others)
    fill = 1.0 - total
    if carried <= 0:
        if not weights.given:
            raise InvalidInput("that leaves no data source with any weight")
        named = ", ".join(f"{s.label} {percent(v, trim=True)}" for s, v in weights.given.items())
        raise InvalidInput(
            f"{named} leaves {percent(fill, trim=True)} for the other sources, but none of them has any "
            f"weight yet; say where it goes (for example 'form {percent(fill, trim=True)}')"
        )
    for source in others:
        out[source] = old[source] / carried * fill
    return out


def _covering(existing: Sequence[ExistingModel], sports: Sequence[Sport]) -> list[ExistingModel]:
    return [model for model in existing if all(sport in model.spec.sports for sport in sports)]


def _only(existing: Sequence[ExistingModel]) -> ExistingModel | NotUnderstood:
    if len(existing) == 1:
        return existing[0]
    return _which(existing)


def _which(models: Sequence[ExistingModel]) -> NotUnderstood:
    if not models:
        return NotUnderstood(f"You have no models yet; describe one to build it, for example {_EXAMPLE}.")
    return NotUnderstood(
        f"Which model do you mean? {_listing(models)} Say 'model {models[0].id}', its name, or its sport."
    )


def _listing(models: Sequence[ExistingModel]) -> str:
    if not models:
        return "You have no models yet."
    listed = ", ".join(f"#{m.id} '{m.name}' ({'/'.join(s.title for s in m.spec.sports)})" for m in models)
    return f"You have {listed}."


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate.casefold() in taken:
        candidate, n = f"{name} {n}", n + 1
    return candidate
