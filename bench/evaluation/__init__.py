"""The forecast-quality report, docs/EVALUATION.md: Benny's models against the close and two baselines.

For each league it runs ``benny evaluate``'s replay (``services.evaluate.evaluate``, the live
path) on real history files from ``../shared/data`` into a scratch database it keeps for the
run, reads back every game's last moneyline forecast before the start, and scores, on the same
games:

- the devigged closing market, and Benny's models (from the replay);
- a tuned Elo baseline (``core.elo``), tuned on the games before the scored window only;
- for the EPL, penaltyblog's Dixon-Coles model, refit every Monday on the matches whose results
  were known by then, with time-decay weights.

It writes the Markdown report (summary tables, per-league tables, reliability diagrams, the
bettor's reading, the ten models' acceptance tables) and one PNG per league beside it in
``evaluation/``. A development tool (penaltyblog and matplotlib are bench extras): the runtime
packages never import it. Its parts, in the order they run:

- ``leagues``: the leagues, their files and scored windows;
- ``baselines``: base rate, Elo and Dixon-Coles;
- ``runs``: one league's replay and its forecasts read back;
- ``scoring``: every forecaster on the same games;
- ``plots``: the reliability diagrams (matplotlib);
- ``markdown``: the report's text;
- ``report``: ``build``, all of it; ``__main__`` the command.
"""
