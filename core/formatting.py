"""How Benny's numbers read to a person: percentages, dollars, American prices, and picks with their line.

One home for each convention, so the chat, the tools' own sentences, the analyst's dossier and
the settlement notes write 52.6%, -$10.00, +150 and "Lakers -3.5" the same way. Pure: numbers
in, strings out; nothing here rounds a stored value.

- A *fraction* is a share of one (0.526 reads 52.6%); *points* are the same number times 100
  without the % sign, for ranges ("52.3–61.0") and moves ("+1.2 points").
- ``None`` reads as ``missing``: an en dash unless the caller writes its blanks another way.
- American prices carry their sign: +150, -110.
- A pick is its side's label (the team, or "Draw", "Over", "Under") and, for spreads and totals,
  its line: a spread's line is signed ("Lakers -3.5", "Celtics +3"), a total's is bare
  ("Over 221.5"); a moneyline pick has no line.
"""

from __future__ import annotations

from core.sports import Market

MISSING = "–"  # an en dash: the blank cell of the chat's tables


def points(fraction: float, digits: int = 1) -> str:
    """A fraction in percentage points, without the sign: 0.5256 -> "52.6"."""
    return f"{fraction * 100:.{digits}f}"


def signed_points(fraction: float, digits: int = 1) -> str:
    """A change in percentage points with its sign: 0.012 -> "+1.2", -0.03 -> "-3.0"."""
    return f"{fraction * 100:+.{digits}f}"


def percent(
    fraction: float | None, digits: int | None = 1, *, trim: bool = False, missing: str = MISSING
) -> str:
    """A fraction as a percentage: 0.5256 -> "52.6%", with ``digits=0`` "53%".

    ``digits=None`` writes as many digits as the number needs (0.025 -> "2.5%", 0.02 -> "2%"),
    for a number the user typed; ``trim`` drops the decimals of a whole percentage (0.4 -> "40%",
    0.333 -> "33.3%"), for the shares of a user's model.
    """
    if fraction is None:
        return missing
    if digits is None:
        return f"{fraction * 100:g}%"
    text = points(fraction, digits)
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def signed_percent(fraction: float | None, digits: int = 1, *, missing: str = MISSING) -> str:
    """A return or a gain as a signed percentage: 0.052 -> "+5.2%", -0.1 -> "-10.0%", 0 -> "+0.0%"."""
    return missing if fraction is None else f"{signed_points(fraction, digits)}%"


def usd(amount: float | None, *, missing: str = MISSING) -> str:
    """Dollars and cents, the minus before the dollar sign: 1234.5 -> "$1,234.50", -10 -> "-$10.00"."""
    if amount is None:
        return missing
    return f"{'-' if amount < 0 else ''}${abs(amount):,.2f}"


def signed_usd(amount: float | None, *, missing: str = MISSING) -> str:
    """A profit or a balance with its sign: 15 -> "+$15.00", -10 -> "-$10.00", 0 -> "$0.00"."""
    if amount is None:
        return missing
    return f"+{usd(amount)}" if amount > 0 else usd(amount)


def american(odds_american: int) -> str:
    """An American price as books quote it: 150 -> "+150", -110 -> "-110"."""
    return f"+{odds_american}" if odds_american > 0 else str(odds_american)


def signed_line(point: float, *, pickem: str | None = None) -> str:
    """A spread's handicap with its sign: -3.5 -> "-3.5", 3.0 -> "+3"; a level line "+0" or ``pickem``."""
    if pickem is not None and point == 0:
        return pickem
    return f"{point:+g}"


def market_line(market: str, point: float, *, pickem: str | None = None) -> str:
    """A side's line in its market: a spread's signed (see ``signed_line``), a total's bare ("221.5")."""
    return signed_line(point, pickem=pickem) if market == Market.SPREADS else f"{point:g}"


def side_label(side: str, *, home_team: str, away_team: str) -> str:
    """Whom or what a side backs: the team for home and away, else the side's name ("Draw", "Over")."""
    return {"home": home_team, "away": away_team}.get(side, side.title())


def with_line(label: str, market: str, point: float | None, *, sign_totals: bool = False) -> str:
    """A pick named with its line: "Lakers -3.5", "Over 221.5"; without a line ("Draw") as it is.

    ``sign_totals`` signs a total's line too ("Over +221.5"), as the analyst's dossier writes every line.
    """
    if point is None:
        return label
    line = signed_line(point) if sign_totals else market_line(market, point)
    return f"{label} {line}"


def pick_label(market: str, side: str, point: float | None, *, home_team: str, away_team: str) -> str:
    """A bet's pick as the user reads it: "Lakers -3.5", "Over 221.5", "Celtics", "Draw"."""
    return with_line(side_label(side, home_team=home_team, away_team=away_team), market, point)
