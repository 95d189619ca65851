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
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final

from core.errors import InvalidInput
from core.formatting import percent
from core.sports import Market, Sport
from core.user_models.spec import (
    ALL_MARKETS,
    DEFAULT_MIN_CONFIDENCE,
    MAX_MODELS_PER_USER,
    ModelSpec,
    Source,
    default_name,
)

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
class ExistingModel:
    id: int
    name: str
    spec: ModelSpec


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

HEAVY: Final = 0.7  # mostly, mainly, primarily, a lot of
MEDIUM: Final = 0.5  # some, partly
LIGHT: Final = 0.3  # a little, a bit of, slightly
_EPS: Final = 1e-9


def _lexicon() -> dict[tuple[str, ...], tuple[str, Any]]:
    table: dict[tuple[str, ...], tuple[str, Any]] = {}

    def add(kind: str, value: Any, phrases: str) -> None:
        for phrase in phrases.split("|"):
            table[tuple(phrase.split())] = (kind, value)

    add("sport", Sport.NBA, "nba|basketball|nba basketball")
    add("sport", Sport.NFL, "nfl|american football|nfl football")
    add("sport", Sport.MLB, "mlb|baseball")
    add("sport", Sport.NHL, "nhl|hockey|ice hockey")
    add("sport", Sport.EPL, "epl|premier league|english premier league|soccer|football")
    add("market", Market.H2H, "moneyline|moneylines|money line|money lines")
    add("market", Market.SPREADS, "spread|spreads|point spread|point spreads|handicap|handicaps|ats")
    add("market", Market.SPREADS, "against the spread")
    add("market", Market.TOTALS, "total|totals")
    add("all_markets", None, "all markets|every market|all bet types|all three markets|any market")
    add("source", Source.TEAM_STATS, "team stats|team statistics|stats|statistics|team ratings|ratings")
    add("source", Source.TEAM_STATS, "season stats|team strength|efficiency")
    add("source", Source.ODDS_MOVEMENT, "odds movement|line movement|line movements|line moves|movement")
    add("source", Source.ODDS_MOVEMENT, "market movement|price movement|odds|line|lines|steam")
    add("source", Source.INJURIES, "injuries|injury|injury report|injury reports|injury news")
    add("source", Source.INJURIES, "injured players|player availability|availability")
    add("source", Source.RECENT_FORM, "recent form|form|recent results|recent games|recent performance")
    add("source", Source.RECENT_FORM, "last few games|momentum|streaks")
    add("source", Source.HEAD_TO_HEAD, "head to head|h2h|head to head record|matchups|matchup history")
    add("source", Source.HEAD_TO_HEAD, "past meetings|previous meetings")
    add("qual", HEAVY, "mostly|mainly|primarily|largely|heavily|a lot of|a lot on|lots of|heavy on")
    add("qual", MEDIUM, "some|partly|moderately|a fair bit of")
    add("qual", LIGHT, "a little|a little bit|a little bit of|little|a bit|a bit of|a touch of|a dash of")
    add("qual", LIGHT, "slightly|lightly")
    add("scope_all", None, "everything|all|all sources|all of them|all five|all the sources|every source")
    add("scope_rest", None, "rest|the rest|the others|others|everything else|remaining|the remaining")
    add("scope_rest", None, "remainder|the remainder|all the rest|all others|other sources|the rest of them")
    add("equal", None, "equal|equally|evenly|even|split|balanced|same weight|equal weights|equal weight")
    add("equal", None, "equal weighting|evenly split|split evenly")
    add("neg", None, "ignore|ignoring|no|without|skip|drop|remove|exclude|excluding|except|but not|not")
    add("neg", None, "zero|leave out|take out|nothing on")
    add("add", None, "add|include|add in|also include")
    add("cue_before", None, "above|over|least|threshold|minimum|min|exceeds|exceed|exceeding|than")
    add("cue_before", None, "cutoff|cut off|bar|no less than")
    add("cue_after", None, "sure|certain|likely|or more|or higher|or better|plus|more|higher")
    add("cue_both", None, "confidence|confident|probability|certainty|chance")
    add("create", None, "build|create|new|design|make me|make a|make an|set up|start|another")
    add("edit", None, "make|set|change|turn|raise|lower|bump|increase|decrease|reduce|update|edit")
    add("edit", None, "switch|move|adjust|tweak|rename")
    add("pause", None, "pause|suspend|deactivate|disable|turn off|stop")
    add("resume", None, "resume|unpause|reactivate|activate|enable|restart|turn on|turn back on")
    add("delete", None, "delete|erase|trash|scrap|discard|destroy|get rid of")
    add("and", None, "and")
    return table


def _words(text: str) -> list[str]:
    return text.split()


_LEXICON: Final = _lexicon()
_LONGEST: Final = max(len(phrase) for phrase in _LEXICON)

# Words that carry no meaning of their own here; they are never reported as not understood.
_FILLER: Final = frozenset(
    _words(
        """my a an the model models build me with for only please i want would like to that which it is its
    of on in at be should use uses using weights weight weighting weighted weigh weighs put give gives
    bet bets betting when one ones this these those so just can you up down from by into as then but
    also per percent cent let lets do does go reads read looks look consider considers considering based
    how about thing things now instead whole are will wants game games pick picks data source sources
    factor factors focus focused on our we us keep have has need mix it's i'd i'm they them their
    could may might much more less what there here hey hi ok okay thanks thank benny your yours or
    if than way each matches match team teams wins winning win play plays playing pls just too new
        """
    )
)
_BRIDGE: Final = frozenset(  # may sit between a threshold cue and its number: "threshold down to 55%"
    _words("to down up at of is it be the a from my its set bet bets betting only when just")
)
_TARGET_NOUNS: Final = frozenset({"model", "models", "one", "ones"})
_ID_NOUNS: Final = frozenset({"model", "id", "number"})
_REMOVAL_VERBS: Final = frozenset({"remove", "drop"})

_NAME_TAIL = r"""(?:"(?P<quoted>[^"]+)"|'(?P<single>[^']+)'|(?P<bare>[^,;"]+?))(?=\s+(?:with|and|for|that|which|using)\b|[,;]|\s*$)"""  # noqa: E501
_RENAME: Final = re.compile(r"\brename\b(?P<mid>[^,;]*?)\b(?:to|as)\s+" + _NAME_TAIL, re.IGNORECASE)
_CALLED: Final = re.compile(r"\b(?:called|named|call it|name it)\s+" + _NAME_TAIL, re.IGNORECASE)
_TOKEN: Final = re.compile(
    r"(?P<hash>#\s*\d+)|(?P<num>\d+(?:\.\d+)?|\.\d+)\s*(?P<pct>%)?|(?P<word>[a-z][a-z0-9']*)"
    r"|(?P<slash>/)|(?P<sep>[,;:.!?\n])"
)


@dataclass(slots=True)
class _Item:
    kind: str  # word, filler, num, ratio, hash, sep, slash, name_ref, or a lexicon kind
    text: str
    value: Any = None
    used: bool = False


@dataclass(slots=True)
class _Weights:
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
class _Reading:
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
    weights: _Weights = field(default_factory=_Weights)
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


def parse_request(text: str, existing: Sequence[ExistingModel]) -> Request:
    """Read one request about the user's models; every failure is a ``NotUnderstood``, never a raise."""
    if not isinstance(text, str) or not text.strip():
        return NotUnderstood(f"Describe a model, for example {_EXAMPLE}, or say which model to change.")
    try:
        return _decide(_read(text, existing), existing)
    except InvalidInput as err:
        return NotUnderstood(f"That model would not work: {err}.")


_EXAMPLE: Final = "'NBA: 40% recent form, 30% injuries, 30% line movement, bet above 60%'"


# --- reading ------------------------------------------------------------------------------------


def _read(text: str, existing: Sequence[ExistingModel]) -> _Reading:
    reading = _Reading()
    reading.name, text = _extract_name(text)
    tokens = _tokenize(text)
    reading.create = _has_create_cue(tokens)
    if not reading.create:
        tokens = _mark_names(tokens, existing)
    items = _lex(tokens)
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


def _extract_name(text: str) -> tuple[str | None, str]:
    """A name given in words (``called "Hoops"``), and the text without it."""
    for pattern, keep in ((_RENAME, " rename {mid} "), (_CALLED, " ")):
        match = pattern.search(text)
        if match:
            name = (match.group("quoted") or match.group("single") or match.group("bare") or "").strip()
            name = name.rstrip(".!? ").strip()
            mid = match.groupdict().get("mid") or ""
            rest = text[: match.start()] + keep.format(mid=mid) + text[match.end() :]
            return (name or None), rest
    return None, text


def _tokenize(text: str) -> list[_Item]:
    text = text.lower().replace("\u2019", "'").replace("&", " and ")
    text = re.sub(r"(\d)\s*(?:per\s*cent|percent|pct)\b", r"\1%", text)
    text = re.sub(r"\b(?:over\s*[/-]?\s*unders?|o/u|overs and unders)\b", " totals ", text)
    text = re.sub(r"(\d)\s*%?\s*[-:]\s*(?=\d)", r"\1/", text)  # 60-40 and 60:40 are ratios
    text = re.sub(r"\bget rid of\b", " delete ", text)
    text = re.sub(r"'s\b", "", text)
    items: list[_Item] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup if match.lastgroup != "pct" else "num"
        if match.group("num") is not None:
            raw = match.group("num")
            items.append(
                _Item("num", match.group(0).replace(" ", ""), _fraction(raw, bool(match.group("pct"))))
            )
        elif kind == "hash":
            items.append(_Item("hash", match.group(0).replace(" ", ""), int(match.group(0)[1:].strip())))
        elif kind is not None:
            items.append(_Item(kind, match.group(0).strip()))
    return _merge_ratios(items)


def _fraction(raw: str, pct: bool) -> float:
    value = float(raw)
    return value if not pct and "." in raw and value <= 1 else value / 100


def _merge_ratios(items: list[_Item]) -> list[_Item]:
    out: list[_Item] = []
    i = 0
    while i < len(items):
        j = i
        while (
            items[j].kind == "num"
            and j + 2 < len(items)
            and items[j + 1].kind == "slash"
            and items[j + 2].kind == "num"
        ):
            j += 2
        if j > i:
            parts = items[i : j + 1 : 2]
            values = tuple(float(p.text.rstrip("%")) for p in parts)
            out.append(_Item("ratio", "/".join(p.text for p in parts), values))
            i = j + 1
        else:
            out.append(items[i])
            i += 1
    return out


def _has_create_cue(tokens: Sequence[_Item]) -> bool:
    words = [t.text for t in tokens if t.kind == "word"]
    if any(w in ("build", "create", "new", "design", "another") for w in words):
        return True
    return any(a == "make" and b in ("me", "a", "an") for a, b in itertools.pairwise(words))


def _mark_names(tokens: list[_Item], existing: Sequence[ExistingModel]) -> list[_Item]:
    """Replace each mention of an existing model's name with one ``name_ref`` item."""
    named = []
    for model in existing:
        key = [(t.kind, t.text) for t in _tokenize(model.name) if t.kind != "sep"]
        if not key or (len(key) == 1 and ((key[0][1],) in _LEXICON or key[0][1] in _FILLER)):
            continue  # a one-word name that is also a common word would capture ordinary requests
        named.append((key, model.id))
    for key, model_id in sorted(named, key=lambda pair: -len(pair[0])):
        i = 0
        while i + len(key) <= len(tokens):
            if [(t.kind, t.text) for t in tokens[i : i + len(key)]] == key:
                tokens = [
                    *tokens[:i],
                    _Item("name_ref", " ".join(t for _, t in key), model_id),
                    *tokens[i + len(key) :],
                ]
            i += 1
    return tokens


def _lex(tokens: Sequence[_Item]) -> list[_Item]:
    """Longest lexicon phrase first; other words are filler or unknown."""
    items: list[_Item] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind != "word":
            items.append(token)
            i += 1
            continue
        for size in range(min(_LONGEST, len(tokens) - i), 0, -1):
            window = tokens[i : i + size]
            phrase = tuple(t.text for t in window)
            if all(t.kind == "word" for t in window) and phrase in _LEXICON:
                kind, value = _LEXICON[phrase]
                items.append(_Item(kind, " ".join(phrase), value))
                i += size
                break
        else:
            items.append(_Item("filler" if token.text in _FILLER else "word", token.text))
            i += 1
    return items


def _targets(items: list[_Item], reading: _Reading) -> None:
    """``model 3``, ``#3``, and ``my NBA model`` / ``the hockey one``."""
    for i, item in enumerate(items):
        nxt = items[i + 1] if i + 1 < len(items) else None
        if item.kind == "hash" and not reading.create:
            item.used = True
            reading.ids.append(item.value)
        elif (
            item.kind == "filler"
            and item.text in _ID_NOUNS
            and nxt is not None
            and nxt.kind == "num"
            and nxt.text.isdigit()
        ):
            nxt.used = True
            reading.ids.append(int(nxt.text))
        elif item.kind == "sport" and nxt is not None and nxt.kind == "filler" and nxt.text in _TARGET_NOUNS:
            item.used = True
            reading.sport_refs.append(item.value)


def _thresholds(items: list[_Item], reading: _Reading) -> None:
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
            elif (before.kind == "filler" and before.text in _BRIDGE) or (
                before.kind == "num" and before.used and before.value == reading.threshold
            ):
                j -= 1
            else:
                break
        if is_threshold:
            item.used = True
            reading.threshold = item.value


def _objects(items: list[_Item], reading: _Reading) -> None:
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
        if not found and item.text in _REMOVAL_VERBS:
            reading.removal_verb = True


def _number_follows(items: Sequence[_Item], j: int) -> bool:
    for item in items[j + 1 :]:
        if item.kind == "filler" and item.text in ("to", "at"):
            continue
        return item.kind == "num" and not item.used
    return False


def _ratios(items: list[_Item], reading: _Reading) -> None:
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


def _free_sources(items: Iterable[_Item]) -> list[_Item]:
    out = []
    for item in items:
        if item.kind in ("num", "ratio", "qual") and not item.used:
            break
        if item.kind == "source" and not item.used:
            out.append(item)
    return out


def _clauses(items: list[_Item], reading: _Reading) -> None:
    """Pair numbers and qualitative words with sources, clause by clause (see the module docstring)."""
    clause: list[_Item] = []
    for item in [*items, _Item("sep", "")]:
        if item.kind in ("sep", "and"):
            _pair(clause, reading)
            clause = []
        elif not item.used and item.kind in ("source", "num", "qual"):
            clause.append(item)


def _pair(clause: list[_Item], reading: _Reading) -> None:
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


def _give(reading: _Reading, item: _Item, value: float) -> None:
    source: Source = item.value
    if source in reading.weights.given:
        reading.problems.append(f"{source.label.capitalize()} got two weights; give it one.")
    reading.weights.given[source] = value


# --- deciding -----------------------------------------------------------------------------------


def _decide(reading: _Reading, existing: Sequence[ExistingModel]) -> Request:
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
    reading: _Reading, existing: Sequence[ExistingModel], target: ExistingModel | None, sports: list[Sport]
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


def _create(reading: _Reading, existing: Sequence[ExistingModel], sports: list[Sport]) -> Request:
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
    reading: _Reading, existing: Sequence[ExistingModel], target: ExistingModel, sports: list[Sport]
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


def _full_weights(weights: _Weights) -> dict[Source, float]:
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


def _update_weights(old: Mapping[Source, float], weights: _Weights) -> dict[Source, float]:
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
