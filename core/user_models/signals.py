"""The five sources a user model weighs, each read from one game's context as a standardised score.

Every signal is about one market's *first side* — home for the moneyline and the spread, the
over for the total — and is on one common scale: a standardised score, about mean 0 and
standard deviation 1 over history, positive when it favours the first side. So a user's
weights compare like with like, and ``core.user_models.combine`` can add them up. A signal is
None when the game lacks the data it needs (or the source says nothing about that market);
every score is clipped to ±``CLIP``.

=============  ======================================================  ==========================
source         raw value (first side's view)                           divided by
=============  ======================================================  ==========================
team_stats     season-to-date margin per game, home minus away,        √2 · strength_sd
               each shrunk toward 0 by n₀ = margin_sd² / strength_sd²
odds_movement  the consensus's first-side log-odds now minus at the    ``ODDS_MOVE_SD``
               opening, over the books with both lines
injuries       away's weighted injury load minus home's                ``INJURY_SD``
recent_form    momentum's time-decayed margin, home minus away         form_sd
head_to_head   matchup's meetings residuals, Σ r                       residual sd · √(n + N₀)
=============  ======================================================  ==========================

Where the scales come from. Per sport (``SCALES``), measured on the real history in
shared/data (NBA 2008–24 regular seasons from the Kaggle lines file, NFL 1999–2025 from
nflverse, EPL 2015–25 from football-data, NHL 2019–22 and MLB 2021 from the SBR archive):

- ``margin_sd``: one game's margin around the closing spread (NBA 12.3, NFL 13.2, EPL 1.7
  with the Asian handicap); the raw margin's sd where no spread is stored (NHL, MLB).
- ``strength_sd``: the spread of teams' true margin per game within a season, from the variance
  of team-season mean margins less its sampling part (margin_sd² / games).
- ``total_sd``: one game's total around its closing total (EPL: around 2.5 goals).
- ``form_sd``: the sd of momentum's raw rating difference over every game both teams had three
  games before (half-life 21 days, last 10 games).

With those, team_stats' shrunk difference is the posterior mean of the strength gap in units of
its prior sd; its sd over the same history is 0.70–0.87 (below 1 because early-season games
are pulled toward 0 on purpose). recent_form's sd is 1 by construction.

``ODDS_MOVE_SD`` = 0.15 log-odds: open-to-close moves of the first side's devigged log-odds
measured 0.16 (EPL Pinnacle 1X2, n = 3,800), 0.15 (NHL moneylines), 0.12 (MLB moneylines) and
0.11 (EPL over 2.5). A move read before the close is part of that, so earlier reads score
smaller.

``INJURY_SD`` = 0.18 of a team's production: the simulator's injury rates (tuned to real
reports) leave 1.2–2.1 players out per team at a time, so the difference between two teams
(Poisson) has sd 1.5–2.1 players, at about ``TYPICAL_SHARE`` = 0.1 each. Injury feeds rarely
carry a player's value, so most loads are counts × ``TYPICAL_SHARE``.

head_to_head: with N₀ = 3 pseudo-meetings at the line, the score is the meetings' residuals as a
z-score shrunk toward 0 — matchup's posterior mean Σ r / (n + N₀) over its standard error
σ / √(n + N₀). The shared history shows no matchup effect the line misses (the covariance
between two meetings of a pairing is ≤ 0 in NBA, NFL and EPL), so its sd over history is
√(n / (n + 3)): 0.5 after one meeting, 0.88 after ten.

Markets. team_stats and recent_form read margins, which say who wins, not how many points are
scored (a team's games going over the closing total does not persist in any league above), so
they are None for totals; injuries only ever point to fewer points on a total, with no baseline
to centre them, so they are None for totals too. odds_movement and head_to_head cover all three.
A market the context has no prices for gets None from every source: there is no prior to move.

Seasons: team_stats reads a team's games back from its newest one until a gap of more than
``OFFSEASON_GAP`` (60 days: longer than any in-season break — the 2022 World Cup stopped the
EPL for 43 — and shorter than every off-season); a team whose newest game is older than that
has not started its season, and the signal is None. It sees only the games the context
carries (the live path passes each team's last 20).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Final

from core.form import TeamGame
from core.models.base import EXCHANGE_BOOKS, BookLine, GameContext, MarketBook
from core.models.injury_aware import InjuryAware
from core.models.matchup import Matchup
from core.models.momentum import Momentum
from core.models.offset_logistic import binary_logit
from core.models.training import market_prior
from core.sports import Market, Sport
from core.user_models.spec import Source

__all__ = [
    "CLIP",
    "INJURY_SD",
    "MISS_DOUBTFUL",
    "MISS_UNCERTAIN",
    "ODDS_MOVE_SD",
    "OFFSEASON_GAP",
    "PRIOR_MEETINGS",
    "SCALES",
    "SIGNALS",
    "TYPICAL_SHARE",
    "SportScale",
    "head_to_head",
    "injuries",
    "odds_movement",
    "recent_form",
    "signal_vector",
    "team_stats",
]


@dataclass(frozen=True, slots=True)
class SportScale:
    """A sport's spreads, in its own points (runs, goals), measured on shared/data (see above)."""

    margin_sd: float  # one game's margin around what was expected
    strength_sd: float  # teams' true margin per game, within a season
    total_sd: float  # one game's total around its closing total
    form_sd: float  # momentum's rating difference, home minus away


SCALES: Final[dict[Sport, SportScale]] = {
    Sport.NBA: SportScale(margin_sd=12.3, strength_sd=4.5, total_sd=17.7, form_sd=9.3),
    Sport.NFL: SportScale(margin_sd=13.2, strength_sd=5.3, total_sd=13.4, form_sd=11.7),
    Sport.MLB: SportScale(margin_sd=4.5, strength_sd=0.78, total_sd=4.4, form_sd=2.6),
    Sport.NHL: SportScale(margin_sd=2.6, strength_sd=0.58, total_sd=2.3, form_sd=1.6),
    Sport.EPL: SportScale(margin_sd=1.7, strength_sd=0.70, total_sd=1.7, form_sd=1.4),
}
ODDS_MOVE_SD: Final = 0.15  # first-side log-odds
INJURY_SD: Final = 0.18  # share of a team's production
TYPICAL_SHARE: Final = 0.1  # a rotation player's share, for listed players without a value
# How likely a listed player is to miss the game — an assumption, not a measurement (no stored
# data says who played): doubtful means unlikely to play; questionable, day-to-day and other
# statuses are taken to play about three times in four.
MISS_DOUBTFUL: Final = 0.75
MISS_UNCERTAIN: Final = 0.25
PRIOR_MEETINGS: Final = 3.0  # N₀: head_to_head's pseudo-meetings at the line
OFFSEASON_GAP: Final = timedelta(days=60)
# Four standard deviations is a data error (a stale line, a forfeit) more often than news; the
# clip keeps one bad input from outvoting the user's other sources.
CLIP: Final = 4.0

# The system models whose feature definitions the signals share, at their defaults.
_MOMENTUM: Final = Momentum()
_MATCHUP: Final = Matchup()
_INJURY_AWARE: Final = InjuryAware()
# The consensus the system models start from (their default devig method and sharp weight).
_METHOD: Final = _MOMENTUM.method
_SHARP_WEIGHT: Final = _MOMENTUM.sharp_weight


def _score(raw: float, scale: float) -> float:
    return max(-CLIP, min(CLIP, raw / scale))


def _season(history: tuple[TeamGame, ...], as_of: datetime) -> list[TeamGame]:
    """The team's games this season before ``as_of``, newest first (see ``OFFSEASON_GAP``)."""
    past = sorted(
        (g for g in history if g.commence_time < as_of), key=lambda g: g.commence_time, reverse=True
    )
    season: list[TeamGame] = []
    later = as_of
    for game in past:
        if later - game.commence_time > OFFSEASON_GAP:
            break
        season.append(game)
        later = game.commence_time
    return season


def team_stats(context: GameContext, market: Market) -> float | None:
    """Season-to-date margin per game, home minus away, each shrunk toward 0; None for totals."""
    if market is Market.TOTALS or market not in context.markets:
        return None
    scale = SCALES[context.game.sport]
    home = _season(context.home_history, context.as_of)
    away = _season(context.away_history, context.as_of)
    if not home or not away:
        return None
    prior_games = (scale.margin_sd / scale.strength_sd) ** 2

    def shrunk(games: list[TeamGame]) -> float:
        return sum(g.points_for - g.points_against for g in games) / (len(games) + prior_games)

    return _score(shrunk(home) - shrunk(away), math.sqrt(2.0) * scale.strength_sd)


def _paired(book: MarketBook) -> list[tuple[BookLine, BookLine]]:
    """(current, opening) of every non-exchange book that has both, the opening the older."""
    opening = {line.book: line for line in book.opening}
    return [
        (line, opening[line.book])
        for line in book.current
        if line.book not in EXCHANGE_BOOKS
        and line.book in opening
        and opening[line.book].seen_at < line.seen_at
    ]


def odds_movement(context: GameContext, market: Market) -> float | None:
    """The consensus's move in first-side log-odds from the opening to now; None without line history.

    Both consensus figures pool the same books (those with an opening and a current line at the
    main point), devigged and weighted as the system models' prior is, so a book joining late
    does not look like a move.
    """
    book = context.markets.get(market)
    if book is None:
        return None
    pairs = _paired(book)
    if not pairs:
        return None
    now = market_prior(
        replace(book, current=tuple(c for c, _ in pairs)), method=_METHOD, sharp_weight=_SHARP_WEIGHT
    )
    then = market_prior(
        replace(book, current=tuple(o for _, o in pairs)), method=_METHOD, sharp_weight=_SHARP_WEIGHT
    )
    if now is None or then is None:
        return None
    return _score(binary_logit(now) - binary_logit(then), ODDS_MOVE_SD)


def injuries(context: GameContext, market: Market) -> float | None:
    """Away's expected injury loss minus home's, as injury_aware reads the report; None without one.

    A team's load is out + ``MISS_DOUBTFUL`` × doubtful + ``MISS_UNCERTAIN`` × uncertain (summed
    player values) + ``TYPICAL_SHARE`` × players out or doubtful with no value; probable
    players play. None for totals, and when the context has no injury data (``injuries`` is
    None); an empty report scores 0.
    """
    book = context.markets.get(market)
    if market is Market.TOTALS or book is None:
        return None
    features = _INJURY_AWARE.features(context, book)
    if features is None:
        return None
    out, doubtful, uncertain, unvalued = features.values  # home minus away
    load_gap = out + MISS_DOUBTFUL * doubtful + MISS_UNCERTAIN * uncertain + TYPICAL_SHARE * unvalued
    return _score(-load_gap, INJURY_SD)


def recent_form(context: GameContext, market: Market) -> float | None:
    """Momentum's time-decayed margin rating, home minus away; None for totals or with too few games."""
    book = context.markets.get(market)
    if market is Market.TOTALS or book is None:
        return None
    features = _MOMENTUM.features(context, book)
    if features is None:
        return None
    return _score(features.values[0], SCALES[context.game.sport].form_sd)


def head_to_head(context: GameContext, market: Market) -> float | None:
    """The meetings' residuals against the line (matchup's), shrunk by N₀; None without a meeting.

    Spread and moneyline: the home team's margin plus its closing handicap in each meeting;
    total: the meeting's points minus its closing total.
    """
    book = context.markets.get(market)
    if book is None:
        return None
    features = _MATCHUP.features(context, book)
    if features is None:
        return None
    residual_sum, _, meetings = features.values
    scale = SCALES[context.game.sport]
    sd = scale.total_sd if market is Market.TOTALS else scale.margin_sd
    return _score(residual_sum, sd * math.sqrt(meetings + PRIOR_MEETINGS))


Signal = Callable[[GameContext, Market], float | None]

# In ``Source`` order: the columns of the combiner's signal matrix.
SIGNALS: Final[dict[Source, Signal]] = {
    Source.TEAM_STATS: team_stats,
    Source.ODDS_MOVEMENT: odds_movement,
    Source.INJURIES: injuries,
    Source.RECENT_FORM: recent_form,
    Source.HEAD_TO_HEAD: head_to_head,
}


def signal_vector(context: GameContext, market: Market) -> dict[str, float | None]:
    """Every source's score for ``market``'s first side, in ``Source`` order.

    The keys are ``Source`` members, which are strings: ``vector["injuries"]`` and
    ``vector[Source.INJURIES]`` are the same entry.
    """
    out: dict[str, float | None] = {}
    for source in Source:
        out[source] = SIGNALS[source](context, market)
    return out
