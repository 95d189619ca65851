"""Benny's offline brain: a deterministic intent router that speaks the Messages API's shapes.

Without an Anthropic key the graph runs this instead of Claude. ``plan`` reads a request
(odds, games, a game's line movement, predictions, value bets, the model leaderboard, models
to fade, a model's calibration, Benny's dashboard, his bets, one bet's reasons, API credits, what
the live loop has been doing) and its arguments (a sport, a window such as *today* or *this
week*, *last 90 days*, a model, a team, a bet number) into one ``tool_use`` block for the
registry's tools. Requests about the user's own models (build, edit, pause, delete, list,
show) and the *yes* or *no* after one is shown back are placed by ``agent.brain_models``. The
``tool_result`` that comes back is answered with ``presentation.render``, from the tool's own numbers.
What it cannot place, it says so and lists what it can do.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from agent import brain_models
from agent.brain_help import CAPABILITIES
from agent.state import Message, text_of, tool_uses
from core.errors import InvalidInput
from core.models import REGISTRY as MODELS
from core.sports import Sport
from core.teams import canonical_team
from presentation import render

_SPORT_WORDS = {
    "nba": ("nba", "basketball"),
    "nfl": ("nfl", "american football"),
    "mlb": ("mlb", "baseball"),
    "nhl": ("nhl", "hockey", "ice hockey"),
    "epl": ("epl", "premier league", "soccer", "football"),
}
_ODDS_WORDS = (
    "odds",
    "line",
    "lines",
    "price",
    "prices",
    "moneyline",
    "spread",
    "spreads",
    "total",
    "totals",
)
_GAMES_WORDS = ("games", "schedule", "fixtures", "playing", "matchups", "slate")
_HELP_WORDS = ("help", "what can you do", "commands")

# Each intent is a handful of patterns over the lower-cased request; ``plan`` tries them in order.
_CREDITS = (
    r"\bcredits?\b",
    r"\bquota\b",
    r"\bapi (calls?|requests?|usage)\b",
    r"\b(calls?|requests?) left\b",
)
# What the live loop has been doing: the scheduler, the jobs, their runs and next fire times.
# Narrow on purpose: "schedule" alone is the slate, "how is Benny doing" the dashboard, a "run
# line" baseball's spread.
_WHO = r"(?:you|u|benny)"
_VERB = r"(?:collect|fetch|pull|refresh|update|sweep|scrape|poll|check|run|analy[sz]e|settle)"
_DONE = r"(?:collected|fetched|pulled|refreshed|updated|swept|scraped|polled|checked|run|runs|settled)"
_FEEDS = r"(?:odds|injur\w*|results|scores|closing lines?|analysis|predictions|settlement)"
_PART = r"(?:system|scheduler|jobs?|(?:live )?loop|server)"
_SYSTEM_STATUS = (
    rf"\bwhat(?:'ve| have| has)? {_WHO} been (?:doing|up to)\b",
    rf"\bwhat(?:'re| are|'s| is) {_WHO} (?:been )?up to\b",
    rf"\bwhat did {_WHO} (?:do|get up to)\b(?! (?:with|about|on|for) )",
    r"\bwhat(?:'s| has) been (?:happening|going on)\W*$",
    rf"^(?:what(?:'s| is) )?(?:the |your |benny'?s? )?(?:{_PART} )?status\W*$",
    rf"\b(?:{_PART}|health|operations?|ops|your|benny'?s?) status\b",
    rf"\bstatus (?:of|for) (?:the )?(?:{_PART}|benny|you)\b",
    r"\bstatus (?:report|update|check)\b",
    r"\b(?:schedulers?|live loop|jobs|heartbeat|uptime|health ?check)\b",
    r"\bjob (?:history|runs?|status|logs?|list|schedule|queue)\b",
    r"\b(?:last|latest|recent|failed|failing|next|scheduled|background) jobs?\b",
    r"\b(?:failed|failing|job|collection) (?:runs?|failures?|errors?)\b",
    r"\b(?:last|latest|previous|next) (?:\w+ )?(?:collection|sweep|fetch|pull|refresh|run)\b(?! line)",
    rf"\bwhen\b.*\b{_WHO}\b.*\b(?:next|again)\b.*\b{_VERB}\w*",
    rf"\bwhen (?:do|does|will|are|is|did) {_WHO} (?:next |last |going to |gonna )?{_VERB}\w*",
    rf"\bwhen\b.*\b{_FEEDS}\b.*\b{_DONE}\b",
    rf"\bhow often\b.*\b{_WHO}\b.*\b{_VERB}\w*",
    rf"\b(?:is|are) (?:{_WHO}|it|everything) (?:still )?(?:running|alive|up and running|online)"
    r"(?: (?:ok|okay|fine|properly|smoothly|now))?\W*$",
)
_LINE_MOVEMENT = (
    r"\b(line|lines|odds|price|prices)\s+(movement|moves?|history|histories|changes?)\b",
    r"\b(line|lines|odds|price|prices|spread|total)\b.*\b(moved?|moving|shifted|changed)\b",
    r"\bhow\b.*\b(moved?|shifted)\b",
)
_CALIBRATION = (r"\bcalibrat\w*\b", r"\breliability (diagram|plot|curve)\b")
_FADE = (r"\bfade\b", r"\bfading\b", r"\binver(se|t|ted)\b", r"\bbet against\b", r"\bopposite\b")
_LEADERBOARD = (
    r"\bleaderboard\b",
    r"\bcompar\w*\b.*\bmodels?\b",
    r"\bmodels?\b.*\bcompar\w*\b",
    r"\b(best|top|worst|most accurate|most profitable|strongest|weakest)\b.*\bmodels?\b",
    r"\bwhich models?\b.*\b(best|better|good|worst|accurate|trust|working|work)\b",
    r"\bmodels?\b.*\b(accuracy|accurate|profitable|record|performance|performing|rankings?|roi|brier)\b",
)
_DASHBOARD = (
    r"\bdashboard\b",
    r"\bbankroll\b",
    r"\bp ?& ?l\b",
    r"\bpnl\b",
    r"\bprofit\b",
    r"\bdrawdown\b",
    r"\bhow\b.*\b(benny|you)\b.*\b(doing|going|performing)\b",
    r"\b(benny'?s?|your|his) (record|results|performance|roi|stats|numbers)\b",
)
_STRONG_VALUE = (
    r"\bvalue bets?\b",
    r"\bbest value\b",
    r"\bwhere\b.*\bvalue\b",
    r"\bev\b",
    r"\bexpected value\b",
    r"\bedges?\b",
    r"\boverlays?\b",
)
_BETS = r"\b(bets|wagers|tickets)\b"
_BETS_WHOSE = (
    r"\b(benny|benny's|your|his|my|pending|open|unsettled|placed|settled|won|lost|recent|latest|last)\b"
)
_PREDICTIONS = (
    r"\bpredict\w*\b",
    r"\bpicks?\b",
    r"\bprojections?\b",
    r"\bforecasts?\b",
    r"\btips?\b",
    r"\bmodels?\b",
    r"\bwho (will|should|is going to) win\b",
)
_VALUE = (r"\bvalue\b", r"\bbargains?\b", r"\bmispriced\b")
_STATUSES = (
    ("pending", r"\b(pending|open|unsettled|outstanding)\b"),
    ("won", r"\b(won|winning|winners|wins)\b"),
    ("lost", r"\b(lost|losing|losers|losses)\b"),
    ("push", r"\bpush(es|ed)?\b"),
    ("void", r"\b(void|voided)\b"),
)
_MARKETS = (
    ("h2h", r"\b(moneylines?|h2h|head to head)\b"),
    ("spreads", r"\b(spreads?|against the spread|ats)\b"),
    ("totals", r"\b(totals?|over/under|over-under|o/u)\b"),
)
_SHORT_CODE = 3  # team codes this short are everyday words in lower case (no, la, sea, min)
# A model named in a request that has no other sign of wanting predictions still asks for them,
# unless its name is also an everyday word here ("value" bets, "benny" himself, a "matchup").
_EVERYDAY_MODEL_NAMES = frozenset({"value", "benny", "matchup"})


@dataclass(frozen=True)
class Call:
    """The tool a request asks for, its arguments, and how to present the result (``view``)."""

    tool: str
    arguments: dict[str, Any] = field(default_factory=dict)
    view: str | None = None  # "fade": the models to fade, from the leaderboard's records


class Brain(Protocol):
    """Anything that answers a conversation with one assistant message (Messages API shape)."""

    def respond(self, messages: list[Message], tools: list[dict[str, Any]]) -> Message: ...


def _sport_in(text: str) -> str | None:
    # "football" alone means soccer here; "american football" is checked first via NFL's words.
    for sport in ("nba", "nfl", "mlb", "nhl", "epl"):
        for word in _SPORT_WORDS[sport]:
            if re.search(rf"\b{re.escape(word)}\b", text):
                return sport
    return None


def _hours_in(text: str, default: int = 36) -> int:
    """The window ahead: *next 12 hours*, *next 3 days*, *today* / *tonight* 24, *tomorrow* 48, a week 168."""
    ahead = re.search(r"\b(?:next|within|in)\s+(\d+)\s*(hours?|hrs?|h|days?)\b", text)
    if ahead:
        hours = int(ahead.group(1)) * (24 if ahead.group(2).startswith("d") else 1)
        return min(max(hours, 1), 336)
    if re.search(r"\b(today|tonight|tonite)\b", text):
        return 24
    if "tomorrow" in text:
        return 48
    if re.search(r"\b(this week|week|weekend)\b", text):
        return 168
    return default


def _days_in(text: str, default: str = "30") -> str:
    """The leaderboard's window: 7, 30, 90 or all (a number of days rounds up to the next of them)."""
    if re.search(r"\b(all[- ]time|ever|lifetime|overall|since the start|season)\b", text):
        return "all"
    span = re.search(r"\b(\d+)\s*(days?|weeks?|months?)\b", text)
    if span:
        days = int(span.group(1)) * {"d": 1, "w": 7, "m": 30}[span.group(2)[0]]
        return next((w for w in ("7", "30", "90") if days <= int(w)), "all")
    if re.search(r"\bweek\b", text):
        return "7"
    if re.search(r"\bmonth\b", text):
        return "30"
    if re.search(r"\bquarter\b", text):
        return "90"
    return default


def _first(text: str, choices: tuple[tuple[str, str], ...]) -> str | None:
    return next((value for value, pattern in choices if re.search(pattern, text)), None)


def _count_in(text: str, default: int, most: int) -> int:
    found = re.search(
        r"\b(?:last|latest|recent|top|first|best)\s+(\d+)\b(?!\s*(?:days?|weeks?|months?|h))", text
    )
    return min(max(int(found.group(1)), 1), most) if found else default


def _bet_id_in(text: str) -> int | None:
    # "bet 12", "bet #12", "bet no. 12"; not the book bet365.
    found = re.search(r"\bbet(?:\s*#\s*|\s+(?:no\.?\s*|number\s+)?)(\d+)\b", text)
    if found is None and re.search(r"\b(explain|why|tell me about)\b", text):
        found = re.search(r"#\s*(\d+)\b", text)
    return int(found.group(1)) if found else None


def _model_in(text: str) -> str | None:
    for name in MODELS:
        spellings = {name, name.replace("_", " "), name.replace("_", "-"), name.replace("_", "/")}
        if any(re.search(rf"\b{re.escape(s)}\b", text) for s in spellings):
            return name
    return None


def _team_in(text: str, sport: str | None) -> str | None:
    """A team named in the request (*Celtics*, *Boston Celtics*, *BOS*), longest spelling first.

    Its canonical name when the sport is named or only one sport's team is so spelled; otherwise
    the spelling itself (*Boston*), which the tool resolves to the soonest of those teams' games.
    Codes of three letters or fewer (*NO*, *LA*, *SEA*) count only when written in capitals.
    """
    words = [w.strip('?!.,;:()"') for w in text.split()]
    words = [re.sub(r"(?<=\w{3})['’]s?$", "", w) for w in words]  # possessives: the Celtics' line
    sports = [s for s in Sport if sport is None or s.short == sport]
    for size in (4, 3, 2, 1):
        for start in range(len(words) - size + 1):
            spelling = " ".join(words[start : start + size])
            if len(spelling) <= _SHORT_CODE and not spelling.isupper():
                continue
            found = set()
            for s in sports:
                try:
                    found.add(canonical_team(s, spelling))
                except InvalidInput:
                    continue
            if found:
                return found.pop() if len(found) == 1 else spelling
    return None


def _min_edge_in(text: str) -> float:
    found = re.search(r"(\d+(?:\.\d+)?)\s*%", text)
    return min(float(found.group(1)) / 100, 0.99) if found else 0.0


def _words_in(text: str, words: tuple[str, ...]) -> bool:
    return any(re.search(rf"\b{re.escape(w)}\b", text) for w in words)


def _matches(text: str, patterns: tuple[str, ...]) -> bool:
    return any(re.search(p, text) for p in patterns)


def _value_bets(text: str, sport: str | None) -> Call:
    arguments = {
        "sport": sport or "nba",
        "hours": _hours_in(text, 24),
        "min_edge": _min_edge_in(text),
        "limit": _count_in(text, 10, 100),
    }
    return Call("best_value_bets", arguments)


def _leaderboard(text: str, sport: str | None, view: str | None = None) -> Call:
    arguments: dict[str, Any] = {"days": _days_in(text)}
    if sport:
        arguments["sport"] = sport
    market = _first(text, _MARKETS)
    if market:
        arguments["market"] = market
    return Call("compare_models", arguments, view)


def _line_movement(text: str, t: str, sport: str | None) -> Call:
    arguments: dict[str, Any] = {"market": _first(t, _MARKETS) or "h2h"}
    team = _team_in(text, sport)
    if team:
        arguments["team"] = team
    return Call("line_movement", arguments)


def _calibration(t: str, sport: str | None, model: str | None) -> Call:
    arguments: dict[str, Any] = {"model": model or "ensemble"}
    if sport:
        arguments["sport"] = sport
    arguments |= {"market": _first(t, _MARKETS) or "h2h", "days": _days_in(t, "90")}
    return Call("calibration", arguments)


def plan(text: str) -> Call | None:
    """The tool call a request asks for, with its arguments; None for a request the brain cannot place."""
    t = text.lower().strip()
    yours = brain_models.plan_models(text)
    if yours is not None:
        return Call(*yours)
    sport, model = _sport_in(t), _model_in(t)
    if _matches(t, _CREDITS):
        return Call("api_credits")
    bet_id = _bet_id_in(t)
    if bet_id is not None:
        return Call("explain_bet", {"bet_id": bet_id})
    if _matches(t.replace("\u2019", "'"), _SYSTEM_STATUS):
        return Call("system_status", {"recent": _count_in(t, 10, 100)})
    if _matches(t, _CALIBRATION):
        return _calibration(t, sport, model)
    if _matches(t, _LINE_MOVEMENT):
        return _line_movement(text.strip(), t, sport)
    if _matches(t, _FADE):
        return _leaderboard(t, sport, "fade")
    if _matches(t, _LEADERBOARD):
        return _leaderboard(t, sport)
    if _matches(t, _DASHBOARD):
        return Call("benny_dashboard")
    if _matches(t, _STRONG_VALUE):
        return _value_bets(t, sport)
    if re.search(_BETS, t) and re.search(_BETS_WHOSE, t):
        return Call("benny_bets", {"status": _first(t, _STATUSES), "limit": _count_in(t, 20, 500)})
    odds_or_games = _words_in(t, _ODDS_WORDS) or _words_in(t, _GAMES_WORDS)
    if _matches(t, _PREDICTIONS) or (model and model not in _EVERYDAY_MODEL_NAMES and not odds_or_games):
        arguments: dict[str, Any] = {"sport": sport or "nba", "hours": _hours_in(t, 48)}
        if model:
            arguments["model"] = model
        return Call("get_predictions", arguments)
    if _matches(t, _VALUE):
        return _value_bets(t, sport)
    if _words_in(t, _ODDS_WORDS) or (sport is not None and not _words_in(t, _GAMES_WORDS)):
        return Call("get_odds", {"sport": sport or "nba", "hours": _hours_in(t)})
    if _words_in(t, _GAMES_WORDS):
        return Call("get_games", {"sport": sport or "nba", "days": max(1, _hours_in(t) // 24)})
    return None


class OfflineBrain:
    """Routes the common requests to tools; composes answers from their results."""

    def respond(self, messages: list[Message], tools: list[dict[str, Any]]) -> Message:
        last, available = messages[-1], {t["name"] for t in tools}
        if last["role"] == "user" and any(b.get("type") == "tool_result" for b in last["content"]):
            return self._answer(messages, available)
        reply = brain_models.answer_to_preview(messages, text_of(last))
        if isinstance(reply, str):
            return _say(reply)
        if reply is not None:
            return self._call(Call(*reply), available, len(messages))
        return self._route(text_of(last), available, len(messages))

    def _call(self, call: Call, available: set[str], turn: int) -> Message:
        if call.tool in available:
            return _use(call, turn)
        return _say(f"I would answer that with `{call.tool}`, but that tool is not available here.")

    def _route(self, text: str, available: set[str], turn: int) -> Message:
        call = plan(text)
        if call is not None:
            return self._call(call, available, turn)
        if _words_in(text.lower(), _HELP_WORDS) or not text.strip():
            return _say("Here is what I can do offline:\n" + CAPABILITIES)
        return _say(
            "I could not work out what you are asking for. Offline, I can answer these:\n" + CAPABILITIES
        )

    def _answer(self, messages: list[Message], available: set[str]) -> Message:
        results = {b["tool_use_id"]: b for b in messages[-1]["content"] if b.get("type") == "tool_result"}
        calls = tool_uses(messages[-2]) if len(messages) >= 2 else []
        if len(calls) == 1 and calls[0]["id"] in results:
            retry = brain_models.retry_elsewhere(calls[0], results[calls[0]["id"]])
            if retry is not None:
                return self._call(Call(*retry), available, len(messages))
        parts: list[str] = []
        for call in calls:
            result = results.get(call["id"])
            if result is None:
                continue
            if result.get("is_error"):
                parts.append(f"That did not work: {result['content']}")
                continue
            view = _view_of(call["id"])
            arguments = call.get("input") or {}
            parts.append(
                render.tool_result(call["name"], json.loads(result["content"]), arguments, view=view)
            )
        return _say("\n\n".join(parts) or "I have nothing to show for that.")


def _say(text: str) -> Message:
    return {"role": "assistant", "content": [{"type": "text", "text": text}]}


_ID_PREFIX = "toolu_offline_"


def _use(call: Call, turn: int) -> Message:
    # The view rides in the call's id (ids are opaque to the API), so the answer step, which sees
    # only the messages, knows to present the leaderboard's records as the models to fade.
    call_id = f"{_ID_PREFIX}{turn:04d}" + (f"_{call.view}" if call.view else "")
    return {
        "role": "assistant",
        "content": [{"type": "tool_use", "id": call_id, "name": call.tool, "input": call.arguments}],
    }


def _view_of(call_id: str) -> str | None:
    if not call_id.startswith(_ID_PREFIX):
        return None
    suffix = call_id[len(_ID_PREFIX) :].partition("_")[2]
    return suffix or None
