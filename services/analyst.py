"""The offline analyst: Benny's picks without a language model, from the models' own signals.

For each market of each dossier it reads the ``benny`` model's probabilities (the ensemble's
pool, or the consensus when there is no pool) and proposes the side with the best expected
value at the best price among the sides it rates at least ``min_probability`` and whose
expected value there is positive; nothing when no side qualifies. Its reasons name the models
that agree and those that do not. It returns the same ``submit_picks`` structure Claude does,
so the same validation and staking follow.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.formatting import percent, signed_percent
from services.dossier import Dossier, ModelView


def offline_picks(dossiers: Sequence[Dossier], *, min_probability: float) -> dict[str, list[dict[str, Any]]]:
    picks: list[dict[str, Any]] = []
    for dossier in dossiers:
        by_market: dict[str, list[ModelView]] = {}
        for view in dossier.models:
            by_market.setdefault(view.market, []).append(view)
        for market in dossier.markets:
            views = by_market.get(market.market, [])
            benny = next((v for v in views if v.model == "benny"), None)
            if benny is None:
                continue
            best: tuple[float, str, float] | None = None
            for side in market.sides:
                p = benny.probabilities.get(side.side)
                if p is None or p < min_probability or side.best_decimal is None:
                    continue
                value = p * side.best_decimal - 1.0
                if value > 0.0 and (best is None or value > best[0]):
                    best = (value, side.side, p)
            if best is None:
                continue
            value, side_name, p = best
            agree = sorted(v.model for v in views if v.pick == side_name and v.model not in ("benny",))
            disagree = sorted(v.model for v in views if v.pick != side_name and v.model != "benny")
            label = next(s.label for s in market.sides if s.side == side_name)
            fair = next(s.consensus for s in market.sides if s.side == side_name)
            picks.append(
                {
                    "game_id": dossier.game_id,
                    "market": market.market,
                    "side": side_name,
                    "probability": round(p, 4),
                    "reasoning": (
                        f"The models' pool rates {label} at {percent(p)} against a devigged consensus of "
                        f"{percent(fair, missing='n/a')}; at the best price that is {signed_percent(value)} "
                        "expected value."
                    ),
                    "key_factors": [f"agree: {', '.join(agree) or 'none'}"],
                    "risks": [f"disagree: {', '.join(disagree) or 'none'}"],
                }
            )
    return {"picks": picks}
