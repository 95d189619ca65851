"""The words a model request is read with: each phrase's kind (sport, market, source, amount, cue,
verb...) and value, the filler that carries no meaning, and the small word sets the slot readers
look for. ``core.user_models.parse`` explains how the kinds are used.
"""

from __future__ import annotations

from typing import Any, Final

from core.sports import Market, Sport
from core.user_models.spec import Source

__all__ = [
    "BRIDGE",
    "FILLER",
    "HEAVY",
    "ID_NOUNS",
    "LEXICON",
    "LIGHT",
    "LONGEST",
    "MEDIUM",
    "REMOVAL_VERBS",
    "TARGET_NOUNS",
]

HEAVY: Final = 0.7  # mostly, mainly, primarily, a lot of
MEDIUM: Final = 0.5  # some, partly
LIGHT: Final = 0.3  # a little, a bit of, slightly


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


LEXICON: Final = _lexicon()
LONGEST: Final = max(len(phrase) for phrase in LEXICON)

# Words that carry no meaning of their own here; they are never reported as not understood.
FILLER: Final = frozenset(
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
BRIDGE: Final = frozenset(  # may sit between a threshold cue and its number: "threshold down to 55%"
    _words("to down up at of is it be the a from my its set bet bets betting only when just")
)
TARGET_NOUNS: Final = frozenset({"model", "models", "one", "ones"})
ID_NOUNS: Final = frozenset({"model", "id", "number"})
REMOVAL_VERBS: Final = frozenset({"remove", "drop"})
