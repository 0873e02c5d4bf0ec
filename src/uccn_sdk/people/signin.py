"""Signing in to the web console without a password: the bot gives a person a link that works
once and briefly, bound to their chat identity; opening it starts a session. The store keeps a
hash of each secret only (SHA-256: the secrets are random, 256 bits, so no slow hash is needed),
so reading the database signs nobody in."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, select, update

from uccn_sdk.chat.events import Sender
from uccn_sdk.store import schema
from uccn_sdk.store.repository import aware


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class WebSession:
    """A signed-in browser: whose chat identity, and the token its forms carry."""

    sender: Sender
    csrf: str
    expires_at: datetime


class SignIns:
    """Sign-in links and web sessions."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def issue_link(self, sender: Sender, now: datetime, lifetime: timedelta) -> str:
        """A new sign-in token for `sender`, valid once until `now` + `lifetime`."""
        token = secrets.token_urlsafe(32)
        self.connection.execute(
            schema.signin_links.insert().values(
                token_hash=_hash(token),
                platform=sender.platform,
                user_id=sender.user_id,
                created_at=now,
                expires_at=now + lifetime,
            )
        )
        return token

    def redeem(self, token: str, now: datetime) -> Sender | None:
        """Whose link `token` is, marking it used; None when it is unknown, used or expired.
        One UPDATE decides, so two browsers opening the same link cannot both sign in."""
        t = schema.signin_links
        row = self.connection.execute(
            update(t)
            .where(
                and_(t.c.token_hash == _hash(token), t.c.used_at.is_(None), t.c.expires_at > now)
            )
            .values(used_at=now)
            .returning(t.c.platform, t.c.user_id)
        ).first()
        return Sender(row.platform, row.user_id) if row else None

    def start(self, sender: Sender, now: datetime, lifetime: timedelta) -> str:
        """A new session for `sender`; its id, which only the browser's cookie holds."""
        session_id = secrets.token_urlsafe(32)
        self.connection.execute(
            schema.web_sessions.insert().values(
                id_hash=_hash(session_id),
                platform=sender.platform,
                user_id=sender.user_id,
                csrf=secrets.token_urlsafe(32),
                created_at=now,
                expires_at=now + lifetime,
            )
        )
        return session_id

    def session(self, session_id: str, now: datetime) -> WebSession | None:
        """The live session `session_id` names; None when unknown, ended or expired."""
        t = schema.web_sessions
        row = self.connection.execute(
            select(t.c.platform, t.c.user_id, t.c.csrf, t.c.expires_at).where(
                and_(t.c.id_hash == _hash(session_id), t.c.ended_at.is_(None))
            )
        ).first()
        expires = aware(row.expires_at) if row else None
        if row is None or expires is None or expires <= now:
            return None
        return WebSession(Sender(row.platform, row.user_id), row.csrf, expires)

    def end(self, session_id: str, now: datetime) -> None:
        t = schema.web_sessions
        self.connection.execute(
            update(t).where(t.c.id_hash == _hash(session_id)).values(ended_at=now)
        )
