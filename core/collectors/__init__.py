"""Data collectors: fetch from providers over HTTP, parse payloads into domain values.

    http             the shared retrying GET (backoff with jitter, Retry-After), key redaction,
                     JSON decoding and timestamp parsing
    oddsapi_client   The Odds API v4 fetched: OddsApiClient (quota, costs, errors)
    oddsapi_parse    its payloads -> OddsQuote, GameInfo, FinalScore, SportInfo
    espn_client      ESPN's site API fetched: scoreboards, summaries (box scores) and injuries
    espn_parse       their payloads -> EspnGame, TeamGameStats, PlayerGameLine, InjuryReport
                     (core.game_reports), read through espn_fields (lenient field readers, status and
                     injury words, box-score cells, team namers)
    simbook          a simulated sportsbook answering both providers' requests offline
    simbook_espn     its ESPN side: a league's injury report in ESPN's JSON

Each provider is two modules, ``<provider>_client`` and ``<provider>_parse``: fetching is async
and takes an injected ``httpx.AsyncClient``, sleep function and RNG; parsing is pure, so tests
replay real payloads without a network. Nothing here touches the database.
"""
