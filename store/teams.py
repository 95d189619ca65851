"""Sports and teams: one canonical name per team, every source's spelling kept as an alias."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, select

from core.sports import Sport
from store.tables import SportRow, Team, TeamAlias, table_of
from store.upsert import insert_ignore


def ensure_sports(*, session: Session, sports: Iterable[Sport]) -> None:
    rows = [{"key": s.value, "title": s.title, "has_draw": s.has_draw} for s in set(sports)]
    insert_ignore(session, table_of(SportRow), rows, conflict=["key"])


def resolve_teams(*, session: Session, sport: Sport, names: Iterable[str]) -> dict[str, int]:
    """Map each name (canonical or alias) to a team id, creating teams for names never seen."""
    wanted = set(names)
    found: dict[str, int] = {}
    if not wanted:
        return found
    for alias, team_id in session.exec(
        select(TeamAlias.alias, TeamAlias.team_id).where(
            TeamAlias.sport_key == sport.value,
            TeamAlias.alias.in_(wanted),  # type: ignore[attr-defined]
        )
    ):
        found[alias] = team_id
    missing = sorted(wanted - found.keys())
    if missing:
        insert_ignore(
            session,
            table_of(Team),
            [{"sport_key": sport.value, "name": name} for name in missing],
            conflict=["sport_key", "name"],
        )
        ids = dict(
            session.exec(
                select(Team.name, Team.id).where(
                    Team.sport_key == sport.value,
                    Team.name.in_(missing),  # type: ignore[attr-defined]
                )
            ).all()
        )
        insert_ignore(
            session,
            table_of(TeamAlias),
            [{"sport_key": sport.value, "alias": name, "team_id": ids[name]} for name in missing],
            conflict=["sport_key", "alias"],
        )
        found.update({name: team_id for name, team_id in ids.items() if team_id is not None})
    return found
