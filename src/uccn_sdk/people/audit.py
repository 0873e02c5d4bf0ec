"""The audit log: every action the Secretariat takes (a chat command only it may use, a button
on the web console), with who, when, on what, and what was written; listed on its own page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from uccn_sdk.chat.events import Sender
from uccn_sdk.chat.safety import clip
from uccn_sdk.store import schema
from uccn_sdk.store.repository import aware

DETAIL = 500
"""The most of what was written an entry keeps."""


@dataclass(frozen=True)
class Entry:
    at: datetime
    actor: Sender
    action: str
    """What was done, as the command names it: ``call close``, ``announce cancel``."""
    subject: str
    """What it was done to (a call's id), '' when nothing in particular."""
    detail: str


class AuditLog:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def record(self, at: datetime, actor: Sender, action: str, subject: str, detail: str) -> None:
        self.connection.execute(
            schema.audit.insert().values(
                at=at,
                platform=actor.platform,
                actor=actor.user_id[:255],
                action=action[:100],
                subject=subject[:255],
                detail=clip(detail, DETAIL),
            )
        )

    def latest(self, limit: int = 200) -> list[Entry]:
        """The last `limit` entries, newest first."""
        t = schema.audit
        rows = self.connection.execute(select(t).order_by(t.c.id.desc()).limit(limit))
        return [
            Entry(
                aware(row.at) or row.at,
                Sender(row.platform, row.actor),
                row.action,
                row.subject,
                row.detail,
            )
            for row in rows
        ]
