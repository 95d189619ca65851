"""Data collectors: fetch from providers over HTTP, parse payloads into domain values.

    http      the shared retrying GET (backoff with jitter, Retry-After), key redaction,
              JSON decoding and timestamp parsing
    oddsapi   The Odds API v4: OddsApiClient (fetch, quota, errors) and parse_odds/events/
              scores/sports -> OddsQuote, GameInfo, FinalScore
    espn_client   ESPN's site API fetched: scoreboards, summaries (box scores) and injuries
    espn_parse    their payloads -> EspnGame, TeamGameStats, PlayerGameLine, InjuryReport
                  (core.stats)

Fetching is async and takes an injected ``httpx.AsyncClient``, sleep function and RNG; parsing
is pure, so tests replay real payloads without a network. Nothing here touches the database.
"""
