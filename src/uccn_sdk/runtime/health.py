"""Whether a worker is ready to work, as `/readyz` says: the database answers and is migrated,
every connector is connected, some worker leads the scheduler, nothing waits too long."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from uccn_sdk.runtime.scheduler import HEARTBEAT_KEY, HEARTBEAT_SECONDS
from uccn_sdk.store.revisions import HEAD

if TYPE_CHECKING:
    from uccn_sdk.runtime.bot import Bot

LEADER_SILENT = timedelta(seconds=HEARTBEAT_SECONDS * 4)
"""A leader not heard of for this long is taken for gone (a new one takes over within a few
seconds of the old one's lock going)."""


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def readiness(bot: Bot, stuck_after: timedelta) -> list[Check]:
    """Each check `/readyz` makes, passed or not, with what it found."""
    now = datetime.now(UTC)
    checks: list[Check] = []
    try:
        revision = bot.store.revision()
        with bot.store.begin() as tx:
            inbox = tx.inbox.backlog()
            outbox = tx.outbox.backlog()
            beat = tx.connector_state.get(*HEARTBEAT_KEY)
    except Exception as error:
        return [Check("database", False, f"does not answer: {str(error).splitlines()[0]}")]
    checks.append(
        Check("database", revision == HEAD, f"at revision {revision}, this uccn knows {HEAD}")
    )
    for platform, connected in sorted(bot.connected.items()):
        checks.append(Check(f"connector {platform}", connected, _said(connected, "connected")))
    heard = datetime.fromisoformat(beat) if beat else None
    leads = heard is not None and now - heard < LEADER_SILENT
    checks.append(
        Check(
            "scheduler",
            leads,
            f"a leader was heard of {_ago(now, heard)}" if heard else "no worker has led yet",
        )
    )
    waiting = {"inbox": inbox[1], **{f"outbox {p}": oldest for p, (_n, oldest) in outbox.items()}}
    for name, oldest in sorted(waiting.items()):
        stuck = oldest is not None and now - oldest > stuck_after
        detail = f"the oldest waiting came {_ago(now, oldest)}" if oldest else "nothing waits"
        checks.append(Check(name, not stuck, detail))
    return checks


def _said(ok: bool, what: str) -> str:
    return what if ok else f"not {what}"


def _ago(now: datetime, moment: datetime | None) -> str:
    if moment is None:
        return "never"
    return f"{(now - moment).total_seconds():.0f} s ago"
