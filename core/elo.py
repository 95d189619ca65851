"""Elo ratings: a baseline that knows only who beat whom, where, and when.

Each team has a rating. The home side's expected score (a win counts 1, a draw ½) is

    E = 1 / (1 + 10 ** (-(r_home + home_advantage - r_away) / scale))

and after the result S is known both ratings move by K·(S − E), in opposite directions. That is
the whole model; for a two-way market P(home) = E.

Three rules the textbook leaves open, fixed here:

- **When a result counts.** A game is predicted from the results known strictly before its
  start (``known_at``), so two games played at once do not see each other.
- **Off-seasons.** When no game has started for ``season_gap`` (60 days), every rating keeps
  ``carry`` of its distance from the mean: ratings regress toward the middle between seasons.
- **Newcomers.** A team first seen in the first season starts at ``initial``; one first seen
  later (a promoted or expansion team) starts at the mean of the three lowest ratings then, since
  it is replacing the teams that went down.

**Draws** (the EPL's three-way market): the draw probability is D = δ·4E(1−E), largest for an
even game and vanishing for a certain one, and the rest of E goes to the win:
P(home) = E − D/2, P(away) = 1 − E − D/2. These keep E = P(home) + ½·P(draw), and stay ≥ 0 for
δ ≤ ½. δ is fit by maximum likelihood on the training games (the least log loss, each
probability clipped at 1e-15 as ``core.scoring`` does).

**Tuning** (``tune``) chooses K, the home advantage and ``carry`` from a small grid by the mean
squared error of E against the result over the games whose results were known before
``before``; the first third of them only warm the ratings up. Nothing at or after ``before``
is read, so the scored games cannot leak into the parameters.

Pure: no I/O, nothing from the project but its forecast scores; the caller supplies the games.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.scoring import log_loss_terms

SEASON_GAP = timedelta(days=60)
NEWCOMER_POOL = 3  # a newcomer starts at the mean of this many lowest ratings

K_GRID: tuple[float, ...] = (2.0, 4.0, 6.0, 8.0, 12.0, 16.0, 20.0, 25.0, 30.0, 40.0)
HOME_ADVANTAGE_GRID: tuple[float, ...] = (0.0, 15.0, 30.0, 45.0, 60.0, 75.0, 90.0, 105.0, 120.0)
CARRY_GRID: tuple[float, ...] = (1.0, 0.75, 0.5)
DRAW_GRID: tuple[float, ...] = tuple(round(0.005 * i, 3) for i in range(101))  # δ in [0, ½]


@dataclass(frozen=True, slots=True)
class EloParams:
    k: float
    home_advantage: float  # rating points added to the home side
    carry: float = 1.0  # share of a rating's distance from the mean kept across an off-season
    initial: float = 1500.0
    scale: float = 400.0

    def __post_init__(self) -> None:
        if self.k <= 0 or self.scale <= 0:
            raise ValueError(f"K and scale must be positive, got K={self.k}, scale={self.scale}")
        if not 0.0 <= self.carry <= 1.0:
            raise ValueError(f"carry must be in [0, 1], got {self.carry}")


@dataclass(frozen=True, slots=True)
class EloGame:
    """One game as Elo sees it; ``known_at`` None (or no score) means the result is not known."""

    game_id: str
    start: datetime
    home: str
    away: str
    home_score: int | None = None
    away_score: int | None = None
    known_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.home == self.away:
            raise ValueError(f"{self.game_id}: a team cannot play itself ({self.home})")
        if self.known_at is not None and self.known_at < self.start:
            raise ValueError(f"{self.game_id}: result known at {self.known_at}, before the start")

    @property
    def result(self) -> float | None:
        """The home side's score: 1 for a win, ½ for a draw, 0 for a loss; None when unknown."""
        if self.known_at is None or self.home_score is None or self.away_score is None:
            return None
        return (
            1.0 if self.home_score > self.away_score else 0.5 if self.home_score == self.away_score else 0.0
        )


@dataclass(frozen=True, slots=True)
class EloFit:
    params: EloParams
    draw_factor: float  # δ: D = δ·4E(1−E); 0 where there are no draws
    loss: float  # mean squared error of E on the tuning games
    tuning_games: int  # games the loss was measured on
    before: datetime


def expected_score(
    rating_home: float, rating_away: float, *, home_advantage: float, scale: float = 400.0
) -> float:
    """The home side's expected score (win 1, draw ½)."""
    return 1.0 / (1.0 + math.pow(10.0, -(rating_home + home_advantage - rating_away) / scale))


def update(
    rating_home: float,
    rating_away: float,
    result: float,
    *,
    k: float,
    home_advantage: float,
    scale: float = 400.0,
) -> tuple[float, float]:
    """Both ratings after a game whose home score was ``result``; the sum of ratings is unchanged."""
    delta = k * (
        result - expected_score(rating_home, rating_away, home_advantage=home_advantage, scale=scale)
    )
    return rating_home + delta, rating_away - delta


def three_way(expected: float, draw_factor: float) -> tuple[float, float, float]:
    """(home, away, draw) from the expected score: D = δ·4E(1−E), P(home) = E − D/2."""
    if not 0.0 <= draw_factor <= 0.5:
        raise ValueError(f"the draw factor must be in [0, 1/2], got {draw_factor}")
    draw = draw_factor * 4.0 * expected * (1.0 - expected)
    return expected - draw / 2.0, 1.0 - expected - draw / 2.0, draw


def replay(games: Sequence[EloGame], params: EloParams, *, season_gap: timedelta = SEASON_GAP) -> list[float]:
    """Each game's expected home score, in the order given, from the results known before its start."""
    order = sorted(range(len(games)), key=lambda i: (games[i].start, games[i].game_id))
    ratings: dict[str, float] = {}
    pending: list[tuple[datetime, int]] = []  # (known_at, index): results not yet applied
    expected = [0.0] * len(games)
    last_start: datetime | None = None
    first_season = True
    for i in order:
        game = games[i]
        while pending and pending[0][0] < game.start:
            _, j = heapq.heappop(pending)
            done = games[j]
            result = done.result
            assert result is not None  # only games with a result are pushed
            ratings[done.home], ratings[done.away] = update(
                ratings[done.home], ratings[done.away], result,
                k=params.k, home_advantage=params.home_advantage, scale=params.scale,
            )  # fmt: skip
        if last_start is not None and game.start - last_start >= season_gap:
            first_season = False
            if ratings:
                mean = sum(ratings.values()) / len(ratings)
                ratings = {team: mean + params.carry * (r - mean) for team, r in ratings.items()}
        last_start = game.start
        for team in (game.home, game.away):
            if team not in ratings:
                ratings[team] = params.initial if first_season else _newcomer(ratings, params.initial)
        expected[i] = expected_score(
            ratings[game.home], ratings[game.away], home_advantage=params.home_advantage, scale=params.scale
        )
        if game.result is not None:
            assert game.known_at is not None
            heapq.heappush(pending, (game.known_at, i))
    return expected


def _newcomer(ratings: dict[str, float], initial: float) -> float:
    lowest = sorted(ratings.values())[:NEWCOMER_POOL]
    return sum(lowest) / len(lowest) if lowest else initial


def _training(games: Iterable[EloGame], before: datetime) -> list[EloGame]:
    """The games that started before ``before``, with only the results known before it."""
    kept = []
    for g in games:
        if g.start >= before:
            continue
        if g.known_at is not None and g.known_at >= before:
            g = EloGame(g.game_id, g.start, g.home, g.away)
        kept.append(g)
    return sorted(kept, key=lambda g: (g.start, g.game_id))


def tune(
    games: Iterable[EloGame],
    *,
    before: datetime,
    k_grid: Sequence[float] = K_GRID,
    home_advantage_grid: Sequence[float] = HOME_ADVANTAGE_GRID,
    carry_grid: Sequence[float] = CARRY_GRID,
    draws: bool = False,
) -> EloFit:
    """The grid point with the lowest squared error of E on the results known before ``before``.

    Ties go to the earlier grid point. With ``draws`` the draw factor δ is then fit by maximum
    likelihood on the same games; otherwise it is 0.
    """
    train = _training(games, before)
    with_result = [i for i, g in enumerate(train) if g.result is not None]
    scored = with_result[len(with_result) // 3 :]
    if len(scored) < 10:
        raise ValueError(f"too few games with results before {before:%Y-%m-%d} to tune Elo ({len(scored)})")
    results = [train[i].result for i in scored]
    best: tuple[float, EloParams] | None = None
    for k, home_advantage, carry in itertools.product(k_grid, home_advantage_grid, carry_grid):
        params = EloParams(k=k, home_advantage=home_advantage, carry=carry)
        expected = replay(train, params)
        loss = sum((expected[i] - r) ** 2 for i, r in zip(scored, results, strict=True) if r is not None)
        if best is None or loss < best[0] - 1e-12:
            best = (loss, params)
    assert best is not None
    loss, params = best
    draw_factor = 0.0
    if draws:
        expected = replay(train, params)
        draw_factor = fit_draw_factor([expected[i] for i in scored], [r for r in results if r is not None])
    return EloFit(
        params=params,
        draw_factor=draw_factor,
        loss=loss / len(scored),
        tuning_games=len(scored),
        before=before,
    )


def fit_draw_factor(
    expected: Sequence[float], results: Sequence[float], grid: Sequence[float] = DRAW_GRID
) -> float:
    """The δ on ``grid`` that gives the results (1, ½, 0) the highest likelihood under ``three_way``."""
    if len(expected) != len(results) or not expected:
        raise ValueError("expected scores and results must have the same, non-zero length")
    best_delta, best_ll = grid[0], -math.inf
    for delta in grid:
        given = []  # the probability of what happened, under this δ
        for e, r in zip(expected, results, strict=True):
            home, away, draw = three_way(e, delta)
            given.append(home if r == 1.0 else draw if r == 0.5 else away)
        ll = -float(log_loss_terms(given).sum())  # clipped at 1e-15, so a certain miss stays finite
        if ll > best_ll + 1e-12:
            best_delta, best_ll = delta, ll
    return best_delta
