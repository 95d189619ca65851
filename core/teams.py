"""The team catalog: one canonical name per franchise, and every spelling the data sources use.

Canonical names are The Odds API's spellings, because live odds and scores arrive under them and
the history has to join those rows: ``Los Angeles Clippers``, ``Philadelphia 76ers``,
``St Louis Blues`` (no dot, as in the staged Odds API NHL snapshots), ``Montréal Canadiens``
(with the accent, likewise), ``Brighton and Hove Albion``, ``Bournemouth``, ``Luton``.

Rules:

- A relocated or renamed franchise maps to its current name, so one team has one name in every
  era: Seattle SuperSonics → Oklahoma City Thunder, San Diego Chargers → Los Angeles Chargers,
  Arizona Coyotes and Utah Hockey Club → Utah Mammoth, Cleveland Indians → Cleveland Guardians.
- Aliases are per sport, because the same token means different teams in different sports
  (SBR ``Arizona`` is the Cardinals, the Coyotes or the Diamondbacks; Kaggle/nflverse ``sea`` is
  the SuperSonics or the Seahawks).
- Lookup ignores case, whitespace, dots and apostrophes: ``GoldenState``, ``golden state`` and
  ``Golden State`` are one key, as are ``St.Louis`` and ``St Louis``, ``Nott'm`` and ``Nottm``.

Sources of the aliases: football-data.co.uk (``Man United``, ``Nott'm Forest``, ``Wolves``),
sportsbookreviewsonline (``GoldenState``, ``LAClippers``, ``NYRangers``, MLB ``SDG``/``TAM``),
Kaggle's lowercase ESPN codes (``gs``, ``ny``, ``sa``, ``utah``, ``wsh``, ``no``, ``bkn``) and
nflverse abbreviations (``KC``, ``OAK``/``LV``, ``SD``/``LAC``, ``STL``/``LA``, ``WAS``).
"""

from __future__ import annotations

from typing import Final

from core.errors import InvalidInput
from core.sports import Sport

__all__ = ["CANONICAL", "EPL_CURRENT", "canonical_team"]

# Canonical name → aliases. The canonical name itself is always accepted.
_NBA: Final[dict[str, tuple[str, ...]]] = {
    "Atlanta Hawks": ("Atlanta", "ATL", "Hawks"),
    "Boston Celtics": ("Boston", "BOS", "Celtics"),
    "Brooklyn Nets": ("Brooklyn", "BKN", "BK", "BRK", "NJ", "NJN", "New Jersey", "New Jersey Nets", "Nets"),
    # The Bobcats (2004-14) took the Hornets name back; New Orleans' Hornets are today's Pelicans.
    "Charlotte Hornets": ("Charlotte", "CHA", "CHO", "Charlotte Bobcats", "Hornets"),
    "Chicago Bulls": ("Chicago", "CHI", "Bulls"),
    "Cleveland Cavaliers": ("Cleveland", "CLE", "Cavaliers", "Cavs"),
    "Dallas Mavericks": ("Dallas", "DAL", "Mavericks", "Mavs"),
    "Denver Nuggets": ("Denver", "DEN", "Nuggets"),
    "Detroit Pistons": ("Detroit", "DET", "Pistons"),
    "Golden State Warriors": ("Golden State", "GS", "GSW", "Warriors"),
    "Houston Rockets": ("Houston", "HOU", "Rockets"),
    "Indiana Pacers": ("Indiana", "IND", "Pacers"),
    "Los Angeles Clippers": ("LA Clippers", "LAC", "Clippers"),
    "Los Angeles Lakers": ("LA Lakers", "LAL", "Lakers"),
    "Memphis Grizzlies": ("Memphis", "MEM", "Grizzlies", "Vancouver Grizzlies"),
    "Miami Heat": ("Miami", "MIA", "Heat"),
    "Milwaukee Bucks": ("Milwaukee", "MIL", "Bucks"),
    "Minnesota Timberwolves": ("Minnesota", "MIN", "Timberwolves"),
    "New Orleans Pelicans": (
        "New Orleans",
        "NO",
        "NOP",
        "NOH",
        "NOK",
        "Pelicans",
        "New Orleans Hornets",
        "New Orleans/Oklahoma City Hornets",
    ),
    "New York Knicks": ("New York", "NY", "NYK", "Knicks"),
    "Oklahoma City Thunder": ("Oklahoma City", "OKC", "Thunder", "Seattle SuperSonics", "Seattle", "SEA"),
    "Orlando Magic": ("Orlando", "ORL", "Magic"),
    "Philadelphia 76ers": ("Philadelphia", "PHI", "76ers", "Sixers"),
    "Phoenix Suns": ("Phoenix", "PHX", "PHO", "Suns"),
    "Portland Trail Blazers": ("Portland", "POR", "Trail Blazers", "Blazers"),
    "Sacramento Kings": ("Sacramento", "SAC", "Kings"),
    "San Antonio Spurs": ("San Antonio", "SA", "SAS", "Spurs"),
    "Toronto Raptors": ("Toronto", "TOR", "Raptors"),
    "Utah Jazz": ("Utah", "UTA", "UTAH", "Jazz"),
    "Washington Wizards": ("Washington", "WSH", "WAS", "Wizards"),
}

_NFL: Final[dict[str, tuple[str, ...]]] = {
    "Arizona Cardinals": ("Arizona", "ARI", "ARZ", "Phoenix Cardinals", "St. Louis Cardinals"),
    "Atlanta Falcons": ("Atlanta", "ATL", "Falcons"),
    "Baltimore Ravens": ("Baltimore", "BAL", "Ravens"),
    "Buffalo Bills": ("Buffalo", "BUF", "Bills"),
    "Carolina Panthers": ("Carolina", "CAR", "Panthers"),
    "Chicago Bears": ("Chicago", "CHI", "Bears"),
    "Cincinnati Bengals": ("Cincinnati", "CIN", "Bengals"),
    "Cleveland Browns": ("Cleveland", "CLE", "Browns"),
    "Dallas Cowboys": ("Dallas", "DAL", "Cowboys"),
    "Denver Broncos": ("Denver", "DEN", "Broncos"),
    "Detroit Lions": ("Detroit", "DET", "Lions"),
    "Green Bay Packers": ("Green Bay", "GB", "GNB", "Packers"),
    "Houston Texans": ("Houston", "HOU", "Texans"),
    "Indianapolis Colts": ("Indianapolis", "IND", "Colts", "Baltimore Colts"),
    "Jacksonville Jaguars": ("Jacksonville", "JAX", "JAC", "Jaguars"),
    "Kansas City Chiefs": ("Kansas City", "KC", "KAN", "Chiefs"),
    "Las Vegas Raiders": ("Las Vegas", "LV", "LVR", "OAK", "Oakland", "Oakland Raiders", "Raiders"),
    "Los Angeles Chargers": (
        "LA Chargers",
        "LAC",
        "SD",
        "SDG",
        "San Diego",
        "San Diego Chargers",
        "Chargers",
    ),
    "Los Angeles Rams": ("LA Rams", "LA", "LAR", "STL", "St. Louis", "St. Louis Rams", "Rams"),
    "Miami Dolphins": ("Miami", "MIA", "Dolphins"),
    "Minnesota Vikings": ("Minnesota", "MIN", "Vikings"),
    "New England Patriots": ("New England", "NE", "NWE", "Patriots"),
    "New Orleans Saints": ("New Orleans", "NO", "NOR", "Saints"),
    "New York Giants": ("NY Giants", "NYG", "Giants"),
    "New York Jets": ("NY Jets", "NYJ", "Jets"),
    "Philadelphia Eagles": ("Philadelphia", "PHI", "Eagles"),
    "Pittsburgh Steelers": ("Pittsburgh", "PIT", "Steelers"),
    "San Francisco 49ers": ("San Francisco", "SF", "SFO", "49ers"),
    "Seattle Seahawks": ("Seattle", "SEA", "Seahawks"),
    "Tampa Bay Buccaneers": ("Tampa Bay", "TB", "TAM", "Buccaneers"),
    "Tennessee Titans": ("Tennessee", "TEN", "Titans", "Houston Oilers", "Tennessee Oilers"),
    "Washington Commanders": (
        "Washington",
        "WAS",
        "WSH",
        "Commanders",
        "Washington Redskins",
        "Washington Football Team",
    ),
}

_MLB: Final[dict[str, tuple[str, ...]]] = {
    "Arizona Diamondbacks": ("Arizona", "ARI", "AZ", "Diamondbacks"),
    "Atlanta Braves": ("Atlanta", "ATL", "Braves"),
    "Baltimore Orioles": ("Baltimore", "BAL", "Orioles"),
    "Boston Red Sox": ("Boston", "BOS", "Red Sox"),
    "Chicago Cubs": ("CUB", "CHC", "Cubs", "Chi Cubs"),
    "Chicago White Sox": ("CWS", "CHW", "White Sox", "Chi White Sox"),
    "Cincinnati Reds": ("Cincinnati", "CIN", "Reds"),
    "Cleveland Guardians": ("Cleveland", "CLE", "Guardians", "Cleveland Indians", "Indians"),
    "Colorado Rockies": ("Colorado", "COL", "Rockies"),
    "Detroit Tigers": ("Detroit", "DET", "Tigers"),
    "Houston Astros": ("Houston", "HOU", "Astros"),
    "Kansas City Royals": ("Kansas City", "KC", "KAN", "KCR", "Royals"),
    "Los Angeles Angels": (
        "LA Angels",
        "LAA",
        "ANA",
        "Angels",
        "Anaheim Angels",
        "Los Angeles Angels of Anaheim",
    ),
    "Los Angeles Dodgers": ("LA Dodgers", "LAD", "Dodgers"),
    "Miami Marlins": ("Miami", "MIA", "FLA", "Marlins", "Florida Marlins"),
    "Milwaukee Brewers": ("Milwaukee", "MIL", "Brewers"),
    "Minnesota Twins": ("Minnesota", "MIN", "Twins"),
    "New York Mets": ("NY Mets", "NYM", "Mets"),
    "New York Yankees": ("NY Yankees", "NYY", "Yankees"),
    # Oakland until 2024, "Athletics" (Sacramento, pending Las Vegas) since 2025, as The Odds API has it.
    "Athletics": ("Oakland Athletics", "Oakland", "OAK", "ATH", "Oakland A's", "Sacramento Athletics", "A's"),
    "Philadelphia Phillies": ("Philadelphia", "PHI", "Phillies"),
    "Pittsburgh Pirates": ("Pittsburgh", "PIT", "Pirates"),
    "San Diego Padres": ("San Diego", "SD", "SDG", "SDP", "Padres"),
    "San Francisco Giants": ("San Francisco", "SF", "SFO", "SFG", "Giants"),
    "Seattle Mariners": ("Seattle", "SEA", "Mariners"),
    "St. Louis Cardinals": ("St. Louis", "STL", "Cardinals"),
    "Tampa Bay Rays": ("Tampa Bay", "TB", "TAM", "TBR", "Rays", "Tampa Bay Devil Rays"),
    "Texas Rangers": ("Texas", "TEX", "Rangers"),
    "Toronto Blue Jays": ("Toronto", "TOR", "Blue Jays"),
    "Washington Nationals": ("Washington", "WAS", "WSH", "WSN", "Nationals", "Montreal Expos"),
}

_NHL: Final[dict[str, tuple[str, ...]]] = {
    "Anaheim Ducks": ("Anaheim", "ANA", "Ducks", "Mighty Ducks of Anaheim"),
    "Boston Bruins": ("Boston", "BOS", "Bruins"),
    "Buffalo Sabres": ("Buffalo", "BUF", "Sabres"),
    "Calgary Flames": ("Calgary", "CGY", "Flames"),
    "Carolina Hurricanes": ("Carolina", "CAR", "Hurricanes", "Hartford Whalers"),
    "Chicago Blackhawks": ("Chicago", "CHI", "Blackhawks"),
    "Colorado Avalanche": ("Colorado", "COL", "Avalanche", "Quebec Nordiques"),
    "Columbus Blue Jackets": ("Columbus", "CBJ", "Blue Jackets"),
    "Dallas Stars": ("Dallas", "DAL", "Stars"),
    "Detroit Red Wings": ("Detroit", "DET", "Red Wings"),
    "Edmonton Oilers": ("Edmonton", "EDM", "Oilers"),
    "Florida Panthers": ("Florida", "FLA", "Panthers"),
    "Los Angeles Kings": ("Los Angeles", "LA Kings", "LAK", "Kings"),
    "Minnesota Wild": ("Minnesota", "MIN", "Wild"),
    "Montréal Canadiens": ("Montreal Canadiens", "Montreal", "Montréal", "MTL", "Canadiens"),
    "Nashville Predators": ("Nashville", "NSH", "Predators"),
    "New Jersey Devils": ("New Jersey", "NJ", "NJD", "Devils"),
    "New York Islanders": ("NY Islanders", "NYI", "Islanders"),
    "New York Rangers": ("NY Rangers", "NYR", "Rangers"),
    "Ottawa Senators": ("Ottawa", "OTT", "Senators"),
    "Philadelphia Flyers": ("Philadelphia", "PHI", "Flyers"),
    "Pittsburgh Penguins": ("Pittsburgh", "PIT", "Penguins"),
    "San Jose Sharks": ("San Jose", "SJ", "SJS", "Sharks"),
    "Seattle Kraken": ("Seattle", "SEA", "Kraken"),
    "St Louis Blues": ("St. Louis", "STL", "Blues"),
    # SBR 2019-20 has the typo "Tampa".
    "Tampa Bay Lightning": ("Tampa Bay", "Tampa", "TB", "TBL", "Lightning"),
    "Toronto Maple Leafs": ("Toronto", "TOR", "Maple Leafs"),
    # The Odds API said "Utah Hockey Club" in 2024-25 (the staged snapshots) and follows the club's
    # 2025-26 rename to "Utah Mammoth"; the Coyotes' hockey operations moved to Utah in 2024.
    # SBR 2019-20 has the typo "Arizonas".
    "Utah Mammoth": (
        "Utah Hockey Club",
        "Utah HC",
        "Utah",
        "UTA",
        "Mammoth",
        "Arizona Coyotes",
        "Arizona",
        "Arizonas",
        "ARI",
        "Phoenix Coyotes",
        "PHX",
    ),
    "Vancouver Canucks": ("Vancouver", "VAN", "Canucks"),
    "Vegas Golden Knights": ("Vegas", "VGK", "Golden Knights"),
    "Washington Capitals": ("Washington", "WSH", "WAS", "Capitals"),
    "Winnipeg Jets": ("Winnipeg", "WPG", "Jets", "Atlanta Thrashers"),
}

# Every club in football-data's ten seasons 2015-16 … 2024-25, which include all of 2025-26's.
_EPL: Final[dict[str, tuple[str, ...]]] = {
    "Arsenal": ("Arsenal FC",),
    "Aston Villa": ("Villa",),
    "Bournemouth": ("AFC Bournemouth",),
    "Brentford": ("Brentford FC",),
    "Brighton and Hove Albion": ("Brighton", "Brighton & Hove Albion", "Brighton Hove Albion"),
    "Burnley": ("Burnley FC",),
    "Cardiff City": ("Cardiff",),
    "Chelsea": ("Chelsea FC",),
    "Crystal Palace": ("Palace",),
    "Everton": ("Everton FC",),
    "Fulham": ("Fulham FC",),
    "Huddersfield Town": ("Huddersfield",),
    "Hull City": ("Hull",),
    "Ipswich Town": ("Ipswich",),
    "Leeds United": ("Leeds",),
    "Leicester City": ("Leicester",),
    "Liverpool": ("Liverpool FC",),
    "Luton": ("Luton Town",),
    "Manchester City": ("Man City",),
    "Manchester United": ("Man United", "Man Utd", "Manchester Utd"),
    "Middlesbrough": ("Boro",),
    "Newcastle United": ("Newcastle",),
    "Norwich City": ("Norwich",),
    "Nottingham Forest": ("Nott'm Forest", "Nottingham", "Forest"),
    "Sheffield United": ("Sheffield Utd", "Sheff Utd"),
    "Southampton": ("Southampton FC",),
    "Stoke City": ("Stoke",),
    "Sunderland": ("Sunderland AFC",),
    "Swansea City": ("Swansea",),
    "Tottenham Hotspur": ("Tottenham", "Spurs"),
    "Watford": ("Watford FC",),
    "West Bromwich Albion": ("West Brom", "West Bromwich"),
    "West Ham United": ("West Ham",),
    "Wolverhampton Wanderers": ("Wolves", "Wolverhampton"),
}

_CATALOG: Final[dict[Sport, dict[str, tuple[str, ...]]]] = {
    Sport.NBA: _NBA,
    Sport.NFL: _NFL,
    Sport.MLB: _MLB,
    Sport.NHL: _NHL,
    Sport.EPL: _EPL,
}

CANONICAL: Final[dict[Sport, tuple[str, ...]]] = {
    sport: tuple(sorted(teams)) for sport, teams in _CATALOG.items()
}

EPL_CURRENT: Final[tuple[str, ...]] = (
    "Arsenal",
    "Aston Villa",
    "Bournemouth",
    "Brentford",
    "Brighton and Hove Albion",
    "Burnley",
    "Chelsea",
    "Crystal Palace",
    "Everton",
    "Fulham",
    "Leeds United",
    "Liverpool",
    "Manchester City",
    "Manchester United",
    "Newcastle United",
    "Nottingham Forest",
    "Sunderland",
    "Tottenham Hotspur",
    "West Ham United",
    "Wolverhampton Wanderers",
)

# Removed before comparing: case is folded separately; these never tell two teams apart.
_IGNORED = str.maketrans("", "", " \t\r\n\u00a0.'’")


def _key(name: str) -> str:
    return name.translate(_IGNORED).casefold()


def _build_lookup() -> dict[Sport, dict[str, str]]:
    """Normalised spelling → canonical name, per sport; two teams sharing a spelling is a bug here."""
    lookup: dict[Sport, dict[str, str]] = {}
    for sport, teams in _CATALOG.items():
        table: dict[str, str] = {}
        for canonical, aliases in teams.items():
            for spelling in (canonical, *aliases):
                key = _key(spelling)
                if table.setdefault(key, canonical) != canonical:
                    raise AssertionError(
                        f"{sport.title} spelling {spelling!r} names {table[key]} and {canonical}"
                    )
        lookup[sport] = table
    return lookup


_LOOKUP: Final = _build_lookup()
# Exact spellings already seen, so the importers' hot loop costs one dict lookup per name.
_SEEN: Final[dict[Sport, dict[str, str]]] = {sport: {} for sport in Sport}


def canonical_team(sport: Sport, name: str) -> str:
    """The canonical (Odds API) name of ``name`` in ``sport``; unknown names raise InvalidInput."""
    seen = _SEEN[sport]
    found = seen.get(name)
    if found is not None:
        return found
    canonical = _LOOKUP[sport].get(_key(name))
    if canonical is None:
        raise InvalidInput(f"unknown {sport.title} team {name!r} (sport {sport.value})")
    seen[name] = canonical
    return canonical
