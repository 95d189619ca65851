"""Items to slots: which model a request names, its threshold, what *add* and *ignore* apply to,
and which weight each number, ratio or qualitative word gives to which data source. The result is
a ``Reading``; ``core.user_models.parse`` decides what it asks for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from core.sports import Market, Sport
from core.user_models.parse_lexicon import BRIDGE, ID_NOUNS, REMOVAL_VERBS, TARGET_NOUNS
from core.user_models.parse_tokens import Item, extract_name, has_create_cue, lex, mark_names, tokenize
from core.user_models.spec import ExistingModel, Source

__all__ = ["Reading", "Weights", "read"]


@dataclass(slots=True)
class Weights:
    """What a request says about the data sources' weights, before any normalising."""

    given: dict[Source, float] = field(default_factory=dict)
    zeroed: list[Source] = field(default_factory=list)
    mentioned: list[Source] = field(default_factory=list)
    relative: bool = False  # a ratio or a qualitative word: replace, never rescale
    everything: bool = False
    rest: bool = False
    equal: bool = False

    def any(self) -> bool:
        return bool(self.given or self.zeroed or self.mentioned or self.everything or self.rest or self.equal)


@dataclass(slots=True)
class Reading:
    """Every slot read from one request; what is left unplaced is in ``unknown`` or ``problems``."""

    name: str | None = None
    create: bool = False
    edit: bool = False
    actions: list[str] = field(default_factory=list)
    removal_verb: bool = False
    ids: list[int] = field(default_factory=list)
    sport_refs: list[Sport] = field(default_factory=list)
    sports: list[Sport] = field(default_factory=list)
    add_sports: list[Sport] = field(default_factory=list)
    remove_sports: list[Sport] = field(default_factory=list)
    markets: list[Market] = field(default_factory=list)
    add_markets: list[Market] = field(default_factory=list)
    remove_markets: list[Market] = field(default_factory=list)
    all_markets: bool = False
    threshold: float | None = None
    weights: Weights = field(default_factory=Weights)
    unknown: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def changes(self, sports: Sequence[Sport]) -> bool:
        return bool(
            self.weights.any()
            or self.threshold is not None
            or sports
            or self.add_sports
            or self.remove_sports
            or self.markets
            or self.add_markets
            or self.remove_markets
            or self.all_markets
            or self.name
        )


def read(text: str, existing: Sequence[ExistingModel]) -> Reading:
    """Fill a ``Reading`` from ``text``; ``existing`` lets a model's name stand for the model."""
    reading = Reading()
    reading.name, text = extract_name(text)
    tokens = tokenize(text)
    reading.create = has_create_cue(tokens)
    if not reading.create:
        tokens = mark_names(tokens, existing)
    items = lex(tokens)
    for item in items:
        if item.kind == "name_ref":
            item.used = True
            reading.ids.append(item.value)
    _targets(items, reading)
    _thresholds(items, reading)
    _objects(items, reading)
    _ratios(items, reading)
    _clauses(items, reading)
    for item in items:
        if item.used:
            continue
        if item.kind == "sport":
            reading.sports.append(item.value)
        elif item.kind == "market":
            reading.markets.append(item.value)
        elif item.kind == "all_markets":
            reading.all_markets = True
        elif item.kind == "scope_all":
            reading.weights.everything = True
        elif item.kind == "scope_rest":
            reading.weights.rest = True
        elif item.kind == "equal":
            reading.weights.equal = True
        elif item.kind == "edit":
            reading.edit = True
        elif item.kind in ("pause", "resume", "delete"):
            reading.actions.append(item.kind)
        elif item.kind == "word":
            reading.unknown.append(item.text)
        elif item.kind == "hash":
            reading.problems.append(f"I couldn't tell which model {item.text} is.")
    return reading


def _targets(items: list[Item], reading: Reading) -> None:
    """``model 3``, ``#3``, and ``my NBA model`` / ``the hockey one``."""
    for i, item in enumerate(items):
        nxt = items[i + 1] if i + 1 < len(items) else None
        if item.kind == "hash" and not reading.create:
            item.used = True
            reading.ids.append(item.value)
        elif (
            item.kind == "filler"
            and item.text in ID_NOUNS
            and nxt is not None
            and nxt.kind == "num"
            and nxt.text.isdigit()
        ):
            nxt.used = True
            reading.ids.append(int(nxt.text))
        elif item.kind == "sport" and nxt is not None and nxt.kind == "filler" and nxt.text in TARGET_NOUNS:
            item.used = True
            reading.sport_refs.append(item.value)


def _thresholds(items: list[Item], reading: Reading) -> None:
    for i, item in enumerate(items):
        if item.kind != "num" or item.used:
            continue
        after = items[i + 1] if i + 1 < len(items) else None
        is_threshold = after is not None and after.kind in ("cue_after", "cue_both")
        j = i - 1
        while not is_threshold and j >= 0 and i - j <= 5:
            before = items[j]
            if before.kind in ("cue_before", "cue_both"):
                is_threshold = True
            elif (before.kind == "filler" and before.text in BRIDGE) or (
                before.kind == "num" and before.used and before.value == reading.threshold
            ):
                j -= 1
            else:
                break
        if is_threshold:
            item.used = True
            reading.threshold = item.value


def _objects(items: list[Item], reading: Reading) -> None:
    """What *add* and *ignore/no/remove* apply to: the sports, markets and sources after them."""
    for i, item in enumerate(items):
        if item.kind not in ("neg", "add") or item.used:
            continue
        item.used = True
        found = False
        for j in range(i + 1, len(items)):
            obj = items[j]
            if obj.used or obj.kind in ("filler", "and"):
                continue
            if obj.kind == "scope_all" and item.kind == "neg":
                reading.problems.append("Ignoring everything leaves the model nothing to weigh.")
            if obj.kind not in ("sport", "market", "source"):
                break
            if obj.kind == "source" and (item.kind == "add" or _number_follows(items, j)):
                break  # "drop injuries to 10%" sets a weight; "add injuries" is a plain mention
            obj.used = found = True
            negate = item.kind == "neg"
            if obj.kind == "sport":
                (reading.remove_sports if negate else reading.add_sports).append(obj.value)
            elif obj.kind == "market":
                (reading.remove_markets if negate else reading.add_markets).append(obj.value)
            else:
                reading.weights.zeroed.append(obj.value)
        if not found and item.text in REMOVAL_VERBS:
            reading.removal_verb = True


def _number_follows(items: Sequence[Item], j: int) -> bool:
    for item in items[j + 1 :]:
        if item.kind == "filler" and item.text in ("to", "at"):
            continue
        return item.kind == "num" and not item.used
    return False


def _ratios(items: list[Item], reading: Reading) -> None:
    """``70/30 form and odds movement``: a ratio's parts go to the sources after it (or before it)."""
    for i, item in enumerate(items):
        if item.kind != "ratio" or item.used:
            continue
        item.used = True
        values: tuple[float, ...] = item.value
        after = _free_sources(items[i + 1 :])[: len(values)]
        before = _free_sources(items[:i][::-1])[: len(values)][::-1]
        sources = after if len(after) == len(values) else before
        if len(sources) != len(values) or sum(values) <= 0:
            reading.problems.append(
                f"{item.text} has {len(values)} parts but I found {len(after) or len(before)} "
                "data sources for them."
            )
            continue
        for source_item, value in zip(sources, values, strict=True):
            source_item.used = True
            _give(reading, source_item, value / sum(values))
        reading.weights.relative = True


def _free_sources(items: Iterable[Item]) -> list[Item]:
    out = []
    for item in items:
        if item.kind in ("num", "ratio", "qual") and not item.used:
            break
        if item.kind == "source" and not item.used:
            out.append(item)
    return out


def _clauses(items: list[Item], reading: Reading) -> None:
    """Pair numbers and qualitative words with sources, clause by clause (see ``core.user_models.parse``)."""
    clause: list[Item] = []
    for item in [*items, Item("sep", "")]:
        if item.kind in ("sep", "and"):
            _pair(clause, reading)
            clause = []
        elif not item.used and item.kind in ("source", "num", "qual"):
            clause.append(item)


def _pair(clause: list[Item], reading: Reading) -> None:
    if not clause:
        return
    forward = clause[0].kind != "source"
    for i, item in enumerate(clause):
        if item.kind == "source":
            continue
        after = [s for s in clause[i + 1 :] if s.kind == "source" and not s.used]
        before = [s for s in clause[:i][::-1] if s.kind == "source" and not s.used]
        choices = (after + before) if forward else (before + after)
        if not choices:
            what = "amount" if item.kind == "qual" else "number"
            reading.problems.append(
                f"I couldn't tell what the {what} '{item.text}' is for: put it next to a data source "
                "('injuries 30%') or a threshold ('bet above 60%')."
            )
            continue
        item.used = choices[0].used = True
        _give(reading, choices[0], item.value)
        reading.weights.relative |= item.kind == "qual"
    for item in clause:
        if item.kind == "source" and not item.used:
            item.used = True
            if item.value not in reading.weights.mentioned:
                reading.weights.mentioned.append(item.value)


def _give(reading: Reading, item: Item, value: float) -> None:
    source: Source = item.value
    if source in reading.weights.given:
        reading.problems.append(f"{source.label.capitalize()} got two weights; give it one.")
    reading.weights.given[source] = value
