"""contrarian: against the public — with the sharp book when the soft books went the other way, else fade.

The rule, per market, from each book's opening and current line at the main point:

1. *Reverse line move.* The sharp book's move is the change in its devigged log-odds of the
   first side (home, or the over) from its opening line to its current one; the soft books'
   move is the mean of the same change over every other (non-exchange) book with both lines.
   When the two moved in opposite directions, the public money pushed the soft books one way
   while the sharp book went the other: the feature ``reverse_move`` is the sharp book's move
   (positive: toward the first side), and the model backs the side the sharp book moved toward.
2. *Otherwise, fade the public side.* With no reverse move (or no line history to see one),
   the feature ``public_side`` says how heavily the public's side is favoured: on the
   moneyline the market's log-odds of home (positive when home is the favourite, larger the
   heavier); on the spread the points the home side gives (``−point``: the favourite is the
   public's side); on the total 1 (the public bets overs).

Both are multiplied by coefficients fit per sport and market on stored history. The rule only
says *which way* to lean; the fit says *how far*. A fitted negative ``public_side`` coefficient
is a favourite–longshot bias being faded; a coefficient near zero means the public's side is
priced fairly there, and the model stays with the market. Markets: moneyline, spread, total.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.models.base import EXCHANGE_BOOKS, SHARP_BOOKS, BookLine, GameContext, MarketBook, devigged
from core.models.offset_logistic import binary_logit
from core.models.training import Features, ShiftModel, market_prior
from core.sports import Market


def line_moves(book: MarketBook, *, method: str) -> tuple[float | None, float | None]:
    """(the sharp books' mean move, the soft books' mean move) in first-side log-odds; None when unseen."""
    opening: dict[str, BookLine] = {line.book: line for line in book.opening}
    pairs = [
        (line, opening[line.book])
        for line in book.current
        if line.book not in EXCHANGE_BOOKS
        and line.book in opening
        and opening[line.book].seen_at < line.seen_at
    ]
    if not pairs:
        return None, None
    # Every book's now and then in two devig calls: the fit reads this for every game it learns from.
    now = devigged([current for current, _ in pairs], book.sides, method=method)
    then = devigged([first for _, first in pairs], book.sides, method=method)
    sharp: list[float] = []
    soft: list[float] = []
    for i, (line, _) in enumerate(pairs):
        move = binary_logit(now[i]) - binary_logit(then[i])
        (sharp if line.book in SHARP_BOOKS else soft).append(move)
    return (
        float(np.mean(sharp)) if sharp else None,
        float(np.mean(soft)) if soft else None,
    )


@dataclass(frozen=True)
class Contrarian(ShiftModel):
    name: str = "contrarian"

    def features(self, context: GameContext, book: MarketBook) -> Features | None:
        sharp, soft = line_moves(book, method=self.method)
        reverse = sharp if sharp is not None and soft is not None and sharp * soft < 0.0 else 0.0
        if reverse != 0.0:
            public = 0.0
        elif book.market is Market.H2H:
            prior = market_prior(book, method=self.method, sharp_weight=self.sharp_weight)
            if prior is None:
                return None
            public = binary_logit(prior)
        elif book.market is Market.SPREADS:
            if book.point is None:
                return None
            public = -book.point
        else:
            public = 1.0
        return Features(("reverse_move", "public_side"), (reverse, public))
