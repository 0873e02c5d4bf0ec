"""An APScheduler trigger that fires when the next delivery of an announcement falls due.

It computes its moments with the same plan the preview shows, so what the Secretariat saw
is what fires. It is pickled into the job store with the announcement and its rooms' zones.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from apscheduler.triggers.base import BaseTrigger

from uccn_sdk.announcements import plan
from uccn_sdk.models import Announcement


class AnnouncementTrigger(BaseTrigger):  # type: ignore[misc]
    def __init__(self, announcement: Announcement, zones: list[str | None]) -> None:
        self.announcement = announcement
        self.zones = zones

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        after = previous_fire_time or now - timedelta(microseconds=1)
        return plan.next_due(self.announcement, self.zones, after)

    def __getstate__(self) -> dict[str, Any]:
        return {
            "version": 1,
            "announcement": self.announcement.model_dump(mode="json"),
            "zones": self.zones,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.announcement = Announcement.model_validate(state["announcement"])
        self.zones = list(state["zones"])

    def __str__(self) -> str:
        return f"announcement[{self.announcement.id}]"
