"""Odds feeds that produce domain quotes: the demo feed now, the simulated sportsbook and collectors later."""
