"""Matching's records: the matches made, the cities left out, the rounds, the projects."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from uccn_sdk.models import Match, Project, Round
from uccn_sdk.models.values import STORED
from uccn_sdk.store import schema
from uccn_sdk.store.repository import Repository


class ProjectRepository(Repository[Project]):
    table = schema.projects
    model = Project
    what = "project"

    def columns(self, record: Project) -> dict[str, Any]:
        return {"id": record.id, "lead_city": record.lead_city}

    def led_by(self, city: str) -> list[Project]:
        return self._select(self.table.c.lead_city == city)


class MatchRepository:
    """Matches are a log: each is added, never replaced."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, match: Match) -> None:
        self.add_many([match])

    def add_many(self, matches: Sequence[Match]) -> None:
        if not matches:
            return
        now = datetime.now(UTC)
        self.connection.execute(
            schema.matches.insert(),
            [
                {
                    "subject": f"{m.subject.kind}:{m.subject.ref}",
                    "other": f"{m.other.kind}:{m.other.ref}",
                    "score": m.score,
                    "created_at": now,
                    "round": m.round,
                    "data": m.model_dump(mode="json"),
                }
                for m in matches
            ],
        )

    def between(self, subject: str, other: str) -> list[Match]:
        """Matches recorded for a pair, either way round, as 'kind:ref' strings."""
        t = schema.matches
        query = (
            select(t.c.data)
            .where(
                ((t.c.subject == subject) & (t.c.other == other))
                | ((t.c.subject == other) & (t.c.other == subject))
            )
            .order_by(t.c.id)
        )
        return [
            Match.model_validate(row.data, context=STORED) for row in self.connection.execute(query)
        ]

    def paired_cities(self) -> dict[frozenset[str], int]:
        """How many rounds paired each two cities."""
        t = schema.matches
        query = (
            select(t.c.subject, t.c.other, func.count())
            .where(t.c.round.is_not(None))
            .group_by(t.c.subject, t.c.other)
        )
        pairs: dict[frozenset[str], int] = {}
        for subject, other, count in self.connection.execute(query):
            if subject.startswith("city:") and other.startswith("city:"):
                key = frozenset((subject[5:], other[5:]))
                pairs[key] = pairs.get(key, 0) + int(count)
        return pairs

    def count(self) -> int:
        return int(
            self.connection.execute(select(func.count()).select_from(schema.matches)).scalar_one()
        )

    def made_between(self, start: datetime, end: datetime) -> int:
        """How many matches were made after `start` and by `end`."""
        m = schema.matches
        query = select(func.count()).where(m.c.created_at > start, m.c.created_at <= end)
        return int(self.connection.execute(query).scalar_one())


class OptOuts:
    """Cities that asked not to be suggested as peers nor put in rounds."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def cities(self) -> set[str]:
        t = schema.match_optouts
        return {row.city for row in self.connection.execute(select(t.c.city))}

    def count(self) -> int:
        t = schema.match_optouts
        return int(self.connection.execute(select(func.count()).select_from(t)).scalar_one())

    def set(self, city: str, opted_out: bool) -> bool:
        """Opt `city` out (or back in); return whether anything changed."""
        t = schema.match_optouts
        if not opted_out:
            return bool(self.connection.execute(t.delete().where(t.c.city == city)).rowcount)
        if self.connection.execute(select(t.c.city).where(t.c.city == city)).first():
            return False
        self.connection.execute(t.insert().values(city=city, since=datetime.now(UTC)))
        return True


class RoundRepository(Repository[Round]):
    table = schema.rounds
    model = Round
    what = "round"

    def columns(self, record: Round) -> dict[str, Any]:
        return {
            "id": record.id,
            "created_at": record.created_at,
            "follow_up_at": None if record.followed_up else record.follow_up_at,
        }

    def recent(self, limit: int = 20) -> list[Round]:
        query = select(self.table.c.data).order_by(self.table.c.created_at.desc()).limit(limit)
        return [self._load(row.data) for row in self.connection.execute(query)]

    def follow_ups_due(self, now: datetime) -> list[Round]:
        c = self.table.c
        return self._select(c.follow_up_at.is_not(None), c.follow_up_at <= now)
