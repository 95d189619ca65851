"""Text to items: a model's name taken out first, then numbers, ratios, ``#ids`` and words, with
the lexicon's longest phrases read as one item and mentions of the user's model names as one
``name_ref``. Nothing here decides what a number is for; ``core.user_models.parse_slots`` does.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from core.user_models.parse_lexicon import FILLER, LEXICON, LONGEST
from core.user_models.spec import ExistingModel

__all__ = ["Item", "extract_name", "has_create_cue", "lex", "mark_names", "tokenize"]

_NAME_TAIL = r"""(?:"(?P<quoted>[^"]+)"|'(?P<single>[^']+)'|(?P<bare>[^,;"]+?))(?=\s+(?:with|and|for|that|which|using)\b|[,;]|\s*$)"""  # noqa: E501
_RENAME: Final = re.compile(r"\brename\b(?P<mid>[^,;]*?)\b(?:to|as)\s+" + _NAME_TAIL, re.IGNORECASE)
_CALLED: Final = re.compile(r"\b(?:called|named|call it|name it)\s+" + _NAME_TAIL, re.IGNORECASE)
_TOKEN: Final = re.compile(
    r"(?P<hash>#\s*\d+)|(?P<num>\d+(?:\.\d+)?|\.\d+)\s*(?P<pct>%)?|(?P<word>[a-z][a-z0-9']*)"
    r"|(?P<slash>/)|(?P<sep>[,;:.!?\n])"
)


@dataclass(slots=True)
class Item:
    kind: str  # word, filler, num, ratio, hash, sep, slash, name_ref, or a lexicon kind
    text: str
    value: Any = None
    used: bool = False


def extract_name(text: str) -> tuple[str | None, str]:
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


def tokenize(text: str) -> list[Item]:
    text = text.lower().replace("\u2019", "'").replace("&", " and ")
    text = re.sub(r"(\d)\s*(?:per\s*cent|percent|pct)\b", r"\1%", text)
    text = re.sub(r"\b(?:over\s*[/-]?\s*unders?|o/u|overs and unders)\b", " totals ", text)
    text = re.sub(r"(\d)\s*%?\s*[-:]\s*(?=\d)", r"\1/", text)  # 60-40 and 60:40 are ratios
    text = re.sub(r"\bget rid of\b", " delete ", text)
    text = re.sub(r"'s\b", "", text)
    items: list[Item] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup if match.lastgroup != "pct" else "num"
        if match.group("num") is not None:
            raw = match.group("num")
            items.append(
                Item("num", match.group(0).replace(" ", ""), _fraction(raw, bool(match.group("pct"))))
            )
        elif kind == "hash":
            items.append(Item("hash", match.group(0).replace(" ", ""), int(match.group(0)[1:].strip())))
        elif kind is not None:
            items.append(Item(kind, match.group(0).strip()))
    return _merge_ratios(items)


def _fraction(raw: str, pct: bool) -> float:
    value = float(raw)
    return value if not pct and "." in raw and value <= 1 else value / 100


def _merge_ratios(items: list[Item]) -> list[Item]:
    out: list[Item] = []
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
            out.append(Item("ratio", "/".join(p.text for p in parts), values))
            i = j + 1
        else:
            out.append(items[i])
            i += 1
    return out


def has_create_cue(tokens: Sequence[Item]) -> bool:
    words = [t.text for t in tokens if t.kind == "word"]
    if any(w in ("build", "create", "new", "design", "another") for w in words):
        return True
    return any(a == "make" and b in ("me", "a", "an") for a, b in itertools.pairwise(words))


def mark_names(tokens: list[Item], existing: Sequence[ExistingModel]) -> list[Item]:
    """Replace each mention of an existing model's name with one ``name_ref`` item."""
    named = []
    for model in existing:
        key = [(t.kind, t.text) for t in tokenize(model.name) if t.kind != "sep"]
        if not key or (len(key) == 1 and ((key[0][1],) in LEXICON or key[0][1] in FILLER)):
            continue  # a one-word name that is also a common word would capture ordinary requests
        named.append((key, model.id))
    for key, model_id in sorted(named, key=lambda pair: -len(pair[0])):
        i = 0
        while i + len(key) <= len(tokens):
            if [(t.kind, t.text) for t in tokens[i : i + len(key)]] == key:
                tokens = [
                    *tokens[:i],
                    Item("name_ref", " ".join(t for _, t in key), model_id),
                    *tokens[i + len(key) :],
                ]
            i += 1
    return tokens


def lex(tokens: Sequence[Item]) -> list[Item]:
    """Longest lexicon phrase first; other words are filler or unknown."""
    items: list[Item] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind != "word":
            items.append(token)
            i += 1
            continue
        for size in range(min(LONGEST, len(tokens) - i), 0, -1):
            window = tokens[i : i + size]
            phrase = tuple(t.text for t in window)
            if all(t.kind == "word" for t in window) and phrase in LEXICON:
                kind, value = LEXICON[phrase]
                items.append(Item(kind, " ".join(phrase), value))
                i += size
                break
        else:
            items.append(Item("filler" if token.text in FILLER else "word", token.text))
            i += 1
    return items
