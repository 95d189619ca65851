"""The offline brain's routes for the user's own models, and the *yes* / *no* that follows a preview.

``plan_models`` places a request about the user's models by its words alone (the brain has no
database): building one (*build me an NBA model ...*, or a weighting of the data sources with a
sport, *70/30 form and odds movement for baseball*) goes to ``create_user_model``; an edit, a
pause, a resume, a rename, a threshold or a weighting without a sport goes to
``update_user_model``; *delete model 3* to ``delete_user_model``; *my models* to
``list_user_models``; *show model 3* to ``show_user_model``. The request's own text is the
description: ``core.user_models.parse`` reads it inside the tool.

A create or an update is a preview until it is confirmed. ``answer_to_preview`` reads a short
*yes* / *no*: a yes repeats the preview's call with ``confirm=True``, a no saves nothing. Only
the call made since the user's previous message counts as the preview being answered, so a yes
after a *cancel* (or after any other question) confirms nothing.
"""

from __future__ import annotations

import json
import re
from typing import Any

from agent.state import Message, tool_uses

CHANGE_TOOLS = ("create_user_model", "update_user_model", "delete_user_model")
_OTHER_TOOL = {"create_user_model": "update_user_model", "update_user_model": "create_user_model"}

_SPORT = r"\b(?:nba|nfl|mlb|nhl|epl|basketball|baseball|hockey|ice hockey|soccer|football|premier league)\b"
_MARKET = r"\b(?:moneylines?|money lines?|spreads?|totals?|over/under)\b"
# The data-source words of core.user_models.parse_lexicon that cannot be read as another request
# (bare *odds*, *line* and *momentum*, a model's name, are left out: they ask for odds and picks).
_SOURCE = (
    r"\b(?:recent form|form|recent results|recent games|recent performance|last few games|streaks|"
    r"injury reports?|injury news|injuries|injury|injured players|player availability|"
    r"team stats|team statistics|season stats|team strength|team ratings|stats|statistics|"
    r"odds movement|line movements?|line moves|market movement|price movement|movement|steam|"
    r"head[ -]to[ -]head(?: record)?|h2h|past meetings|previous meetings|matchup history)\b"
)
_NOT_TIME = r"(?!\s*(?:%\s*)?(?:hours?|hrs?|h|days?|weeks?|months?|years?)\b)"
_NUMBER = r"\d+(?:\.\d+)?"
_PERCENT = rf"{_NUMBER}\s*(?:%|percent\b|per cent\b|pct\b)"
_RATIO = r"\b\d+\s*%?\s*[/:]\s*\d+\b"
_AMOUNT = (
    r"\b(?:mostly|mainly|primarily|largely|heavily|a lot of|a lot on|lots of|heavy on|some|partly|"
    r"moderately|a little|a bit of|a bit|a touch of|a dash of|slightly|lightly)\b"
)
_EQUAL = r"\b(?:equal(?:ly)?|evenly|even split|split|balanced|same weight)\b"
_EVERYTHING = r"\b(?:everything|all (?:five |the )?sources|every source|all of them|all five)\b"
_IGNORE = rf"\b(?:ignore|ignoring|without|skip|exclude|excluding|leave out|no|zero)\s+(?:the\s+)?{_SOURCE}"
_SOURCE_NUMBER = (
    rf"{_SOURCE}\s*(?:at|to|=|:)?\s*{_NUMBER}{_NOT_TIME}",
    rf"\b{_NUMBER}{_NOT_TIME}\s*(?:%|percent|per cent)?\s*(?:on\s+|of\s+|for\s+)?{_SOURCE}",
)
_THRESHOLD = r"\b(?:threshold|cut-?off|min(?:imum)? confidence|confidence threshold)\b"

_CREATE = (
    r"\b(?:build|create|design|set up)\b(?:\s+[\w']+){0,4}?\s+model\b",
    r"\bmake\s+(?:me\s+|us\s+)?(?:a|an|another)\b(?:\s+[\w']+){0,3}?\s+model\b",
    r"\b(?:new|another)\s+(?:[\w']+\s+)?model\b",
)
_DELETE = r"\b(?:delete|erase|trash|scrap|discard|destroy|get rid of)\b"
_LIFECYCLE = r"\b(?:pause|unpause|resume|suspend|reactivate|deactivate|rename)\b"
_EDIT_VERB = (
    r"\b(?:make|set|change|turn|raise|lower|bump|increase|decrease|reduce|adjust|tweak|switch|move|put|cut)\b"
)
_ADD_OR_REMOVE = rf"\b(?:add|include|remove|drop)\s+(?:the\s+|in\s+)?(?:{_SPORT}|{_MARKET}|{_SOURCE})"
_TARGET = r"\b(?:model|the\s+[\w']+\s+one|this one|that one|it)\b"
_MODEL_ID = r"\bmodel\s*(?:#|no\.?|number)?\s*(\d+)\b(?!\s*%)"
_LIST = (
    r"\bmy\b(?:\s+[\w']+){0,2}?\s+models\b",
    r"\bmodels?\s+(?:do\s+)?i\s+(?:have|built|made|saved|own)\b",
    r"\bmy\b(?:\s+[\w']+){0,2}?\s+model\b",
)

_YES = (
    r"yes|yeah|yea|yep|yup|ya|y|sure|ok|okay|alright|all right|confirm|confirmed|correct|perfect|great|"
    r"go ahead|go for it|do it|let's do it|lets do it|save|save it|save that|save this|save the model|"
    r"looks good|sounds good|lgtm|that's right|thats right|that's fine|fine|good|right|yes save it"
)
_NO = (
    r"no|nope|nah|n|cancel|cancel it|cancel that|don't|dont|do not|don't save|don't save it|dont save|"
    r"dont save it|do not save|do not save it|never mind|nevermind|forget it|forget that|discard it|"
    r"scrap it|scrap that|not now|no thanks|no thank you|abort|stop"
)

EXAMPLE_CREATE = "NBA: 40% recent form, 30% injuries, 30% line movement, bet above 60%"
EXAMPLE_UPDATE = "make injuries 50%"


def _any(text: str, patterns: tuple[str, ...] | str) -> bool:
    return any(re.search(p, text) for p in ((patterns,) if isinstance(patterns, str) else patterns))


def _weighting(t: str) -> bool:
    """A weighting of the data sources: a source with a number, a ratio, an amount word, or *ignore*."""
    if re.search(_EQUAL, t) and re.search(_EVERYTHING, t):
        return True
    if not re.search(_SOURCE, t):
        return False
    return _any(t, (_PERCENT, _RATIO, _AMOUNT, _EQUAL, _IGNORE, *_SOURCE_NUMBER))


def _model_id(t: str) -> int | None:
    found = re.search(_MODEL_ID, t)
    return int(found.group(1)) if found else None


def plan_models(text: str) -> tuple[str, dict[str, Any]] | None:
    """The user-model tool a request asks for and its arguments; None when it is not about them."""
    t = " ".join(text.lower().replace("\u2019", "'").split())
    if not t:
        return None
    described = {"description": text.strip()}
    model_id = _model_id(t)
    if model_id is not None and re.search(r"\bback ?test", t):
        days = re.search(r"\b(\d{1,4}) days?\b", t)
        return "backtest_user_model", {"model_id": model_id, "days": int(days.group(1)) if days else 180}
    if _any(t, _CREATE):
        return "create_user_model", described
    if re.search(_DELETE, t) or (re.search(r"\b(?:remove|drop)\b", t) and re.search(_TARGET, t)):
        if model_id is not None:
            return "delete_user_model", {"model_id": model_id}
        return "update_user_model", described
    numbered = re.search(_PERCENT, t) or re.search(rf"\b{_NUMBER}\b{_NOT_TIME}", t)
    edit = re.search(_EDIT_VERB, t) and (re.search(_SOURCE, t) or re.search(_THRESHOLD, t)) and numbered
    if _any(t, (_LIFECYCLE, _ADD_OR_REMOVE)) or edit:
        return "update_user_model", described
    weighting = _weighting(t)
    if weighting and re.search(_SPORT, t):
        return "create_user_model", described
    if weighting or re.search(_THRESHOLD, t):
        return "update_user_model", described
    if model_id is not None:
        return "show_user_model", {"model_id": model_id}
    if _any(t, _LIST):
        return "list_user_models", {}
    return None


def _short_answer(text: str) -> str | None:
    """``"yes"`` or ``"no"`` for a short affirmative or refusal, else None."""
    t = re.sub(r"[^\w\s']", " ", text.lower().replace("\u2019", "'"))
    t = " ".join(w for w in t.split() if w not in ("please", "thanks", "thank", "you", "benny"))
    if not t:
        return None
    for kind, words in (("no", _NO), ("yes", _YES)):
        if re.fullmatch(rf"(?:{words})(?:\s+(?:{words}))*", t):
            return kind
    return None


def _is_human(message: Message) -> bool:
    content = message.get("content")
    if message.get("role") != "user":
        return False
    return isinstance(content, str) or not any(b.get("type") == "tool_result" for b in content or [])


def _result_body(block: dict[str, Any]) -> Any:
    content = block.get("content")
    if isinstance(content, list):
        content = "".join(b.get("text", "") for b in content if isinstance(b, dict))
    try:
        return json.loads(content) if isinstance(content, str) else None
    except ValueError:
        return None


def pending_preview(messages: list[Message]) -> dict[str, Any] | None:
    """The preview the newest message answers: the last tool call since the user's previous message,
    when it is a create, update or delete that was shown back (not saved, understood, no error)."""
    results: dict[str, dict[str, Any]] = {}
    for message in reversed(messages[:-1]):
        if _is_human(message):
            return None
        if message.get("role") == "user":
            results.update(
                {b["tool_use_id"]: b for b in message["content"] if b.get("type") == "tool_result"}
            )
            continue
        calls = tool_uses(message)
        if not calls:
            continue
        if len(calls) != 1 or calls[0]["name"] not in CHANGE_TOOLS:
            return None
        result = results.get(calls[0]["id"])
        if result is None or result.get("is_error"):
            return None
        body = _result_body(result)
        if not isinstance(body, dict) or body.get("saved") is not False:
            return None
        return None if body.get("action") == "not_understood" else calls[0]
    return None


def answer_to_preview(messages: list[Message], text: str) -> tuple[str, dict[str, Any]] | str | None:
    """For a short *yes* or *no*: the confirming call, or what to say; None for anything else."""
    kind = _short_answer(text)
    if kind is None:
        return None
    preview = pending_preview(messages)
    if kind == "no":
        if preview is None:
            return "Nothing is waiting to be saved, so there is nothing to cancel."
        return "Not saved. Nothing changed; describe the model again whenever you like."
    if preview is None:
        return (
            "There is nothing to confirm: no model change is waiting for a yes. Describe a model to "
            f"build it (*{EXAMPLE_CREATE}*) or a change to one of yours (*{EXAMPLE_UPDATE}*), and "
            "I will show it back before saving."
        )
    return str(preview["name"]), {**(preview.get("input") or {}), "confirm": True}


def retry_elsewhere(call: dict[str, Any], result: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """A create the tool read as an edit (or an edit it read as a new model): the same words, the other tool.

    The brain routes by words; the tool, which sees the user's models, knows better.
    """
    other = _OTHER_TOOL.get(str(call.get("name")))
    content = result.get("content")
    if other is None or not result.get("is_error") or not isinstance(content, str):
        return None
    return (other, dict(call.get("input") or {})) if f"use {other}" in content else None
