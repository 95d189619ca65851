"""What the offline brain can answer, by topic: the help text and the examples the tests route.

Each topic names the tool its requests go to and a few phrasings that must reach it; the help
reply lists them, and tests/agent/test_offline_intents.py sends every example through ``plan``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CAPABILITIES", "TOPICS", "Topic"]


@dataclass(frozen=True)
class Topic:
    name: str
    tool: str | None
    view: str | None
    what: str
    examples: tuple[str, ...]


TOPICS = (
    Topic("odds", "get_odds", None, "the best price per side", ("NBA odds", "EPL lines tomorrow")),
    Topic("games", "get_games", None, "the slate", ("which NHL games are on?",)),
    Topic(
        "line movement",
        "line_movement",
        None,
        "a game's prices book by book since they opened, and the consensus with them",
        ("how has the line moved for the Celtics game?", "line movement Lakers", "Bruins total line history"),
    ),
    Topic(
        "predictions",
        "get_predictions",
        None,
        "the models' picks, probabilities and prices",
        ("NBA predictions", "what do the models say about tonight's NHL games?", "momentum picks"),
    ),
    Topic(
        "value bets",
        "best_value_bets",
        None,
        "prices that beat the devigged consensus",
        ("best value bets in the NBA today", "where is the value?", "+EV in the NHL this week"),
    ),
    Topic(
        "model leaderboard",
        "compare_models",
        None,
        "accuracy, ROI and CLV per model",
        (
            "model leaderboard",
            "which models are best over the last 90 days?",
            "compare models on NBA spreads",
        ),
    ),
    Topic(
        "models to fade",
        "compare_models",
        "fade",
        "those whose opposite pick does better",
        ("which models should I fade?",),
    ),
    Topic(
        "calibration",
        "calibration",
        None,
        "how often a model's picks won at each probability it gave them",
        ("is the ensemble calibrated?", "calibration of momentum in the NBA", "calibration plot"),
    ),
    Topic(
        "Benny's dashboard",
        "benny_dashboard",
        None,
        "bankroll, ROI, CLV and the baselines",
        ("how is Benny doing?", "bankroll"),
    ),
    Topic("Benny's bets", "benny_bets", None, "newest first", ("Benny's bets", "pending bets")),
    Topic(
        "a bet explained", "explain_bet", None, "why he made it", ("explain bet 12", "why did you bet #12?")
    ),
    Topic(
        "API credits",
        "api_credits",
        None,
        "what the odds feed has left",
        ("credits", "how many API calls left?"),
    ),
    Topic(
        "build your own model",
        "create_user_model",
        None,
        "sports, the five data sources' weights and a threshold, in words; saved when you say yes",
        (
            "Build me an NBA model: 40% recent form, 30% injuries, 30% line movement, only bet above 60%",
            "mostly head to head, a little team stats, NFL only",
            "70/30 form and odds movement for baseball",
        ),
    ),
    Topic(
        "change your model",
        "update_user_model",
        None,
        "weights, sports, markets, threshold; pause, resume or delete it; saved when you say yes",
        (
            "make injuries 50%",
            "turn the threshold down to 55%",
            "pause my NBA model",
            "delete the hockey one",
        ),
    ),
    Topic("your models", "list_user_models", None, "the models you built", ("my models", "list my models")),
    Topic("one of your models", "show_user_model", None, "in full", ("show model 3",)),
    Topic(
        "what Benny has been doing",
        "system_status",
        None,
        "the scheduler, each job's last and next run, failures, the credits",
        ("what have you been doing?", "is the scheduler running?", "when do you next collect odds?"),
    ),
    Topic("help", None, None, "this list", ("help",)),
)

CAPABILITIES = "".join(
    f"- **{t.name}** ({t.what}): {', '.join(f'*{e}*' for e in t.examples)}\n" for t in TOPICS
)
