"""What the live loop has been doing, as Markdown: ``system_status``'s own fields, only formatted.

One answer: whether the scheduler runs (in which process, since when, its last heartbeat) or how
to start it; a table of the jobs with their trigger, next and last run; the jobs whose last run
failed or was cut short, with the error; the newest runs; and the odds feed's credits. Times are
``YYYY-MM-DD HH:MM UTC``. The shared pieces are in ``presentation.tables``, the dispatch in
``presentation.render``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from presentation.tables import Args, Renderer, md_table

START_IT = (
    "Start it with `benny run` (the chat app, scheduler inside) or `benny scheduler` (the scheduler alone)."
)
TABLE_ERROR_CHARS = 80  # an error in the runs table is cut here; the failures list shows more
LIST_ERROR_CHARS = 300
COUNTS_SHOWN = 4


def utc(text: str | None) -> str:
    """An ISO time from a tool's result as ``YYYY-MM-DD HH:MM UTC``; a dash when there is none."""
    return "–" if text is None else f"{datetime.fromisoformat(text):%Y-%m-%d %H:%M} UTC"


def _cut(text: str, most: int) -> str:
    """One line, safe inside a Markdown table cell, at most ``most`` characters."""
    flat = " ".join(text.split()).replace("|", "\\|")
    return flat if len(flat) <= most else flat[: most - 1] + "…"


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"


def _counts(counts: dict[str, Any] | None) -> str:
    numbers = [(k, v) for k, v in (counts or {}).items() if isinstance(v, int | float)]
    shown = ", ".join(f"{k} {_number(v)}" for k, v in numbers[:COUNTS_SHOWN])
    return shown + (", …" if len(numbers) > COUNTS_SHOWN else "") if shown else "–"


def _seconds(run: dict[str, Any] | None) -> str:
    return "–" if run is None or run["seconds"] is None else f"{run['seconds']:.1f}"


def _scheduler_line(s: dict[str, Any]) -> str:
    if s["alive"]:
        return (
            f"**The scheduler is running** in `{s['runner']}` since {utc(s['since'])}; "
            f"last heartbeat {utc(s['last_beat'])}."
        )
    if s["last_beat"] is None:
        return f"**The scheduler is not running**, and has never run on this database. {START_IT}"
    return (
        f"**The scheduler is not running**: its last heartbeat was {utc(s['last_beat'])}, "
        f"from `{s['runner']}`. {START_IT}"
    )


def _chained(when: str) -> str:
    """A chained job's next run in words: *after each analysis* runs after the next one."""
    return when.replace("after each ", "after the next ", 1) if when.startswith("after each ") else "–"


def _jobs_table(jobs: list[dict[str, Any]]) -> list[str]:
    rows = []
    for job in jobs:
        last = job["last_run"]
        rows.append(
            (
                job["name"],
                job["when"],
                utc(job["next_run"]) if job["next_run"] else _chained(job["when"]),
                "never" if last is None else utc(last["started_at"]),
                "–" if last is None else ("**failed**" if last["status"] == "failed" else last["status"]),
                _seconds(last),
            )
        )
    return md_table(("Job", "When", "Next run", "Last run", "Status", "Seconds"), rows)


def _attention(jobs: list[dict[str, Any]]) -> list[str]:
    """The jobs whose last run failed or was cut short, with the error and the last success."""
    lines = []
    for job in jobs:
        last = job["last_run"]
        if last is None or last["status"] not in ("failed", "interrupted"):
            continue
        success = job["last_success_at"]
        since = f"last success {utc(success)}" if success else "it has not succeeded yet"
        if last["status"] == "failed":
            error = _cut(last["error"] or "no error recorded", LIST_ERROR_CHARS)
            lines.append(f"- **{job['name']}** failed at {utc(last['started_at'])}: `{error}` ({since}).")
        else:
            lines.append(
                f"- **{job['name']}** was cut short at {utc(last['started_at'])} (its process stopped); "
                f"it runs again at its next time ({since})."
            )
    return lines


def _runs_table(runs: list[dict[str, Any]]) -> list[str]:
    rows = [
        (
            utc(r["started_at"]),
            r["job"],
            r["trigger"],
            "**failed**" if r["status"] == "failed" else r["status"],
            _seconds(r),
            _cut(r["error"] or "", TABLE_ERROR_CHARS) if r["status"] == "failed" else _counts(r["counts"]),
        )
        for r in runs
    ]
    return md_table(("Started", "Job", "Trigger", "Status", "Seconds", "Result"), rows)


def _credits_line(status: dict[str, Any]) -> str:
    left = status["credits_remaining"]
    provider = "no call to the provider yet" if left is None else f"{left:,} left at the provider"
    return (
        f"**Odds API credits**: {provider}; {status['credits_allowance']:,} may still be spent this month. "
        f"Feed: {status['feed']} · brain: {status['brain']}."
    )


def system_status(status: dict[str, Any], args: Args | None = None) -> str:
    """The scheduler, the jobs, what needs attention, the newest runs and the credits."""
    jobs, recent = status["jobs"], status["recent"]
    lines = [_scheduler_line(status["scheduler"]), "", f"**Jobs** (as of {utc(status['now'])})", ""]
    lines += _jobs_table(jobs)
    attention = _attention(jobs)
    if attention:
        lines += ["", "**Needs attention**", "", *attention]
    if recent:
        lines += ["", f"**Newest {len(recent)} runs**" if len(recent) > 1 else "**Newest run**", ""]
        lines += _runs_table(recent)
    elif not any(job["last_run"] for job in jobs):
        lines += ["", "No job has run yet: the history fills in once the scheduler runs them."]
    lines += ["", _credits_line(status)]
    return "\n".join(lines)


RENDERERS: dict[str, Renderer] = {"system_status": system_status}
