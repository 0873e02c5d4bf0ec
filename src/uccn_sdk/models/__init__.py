"""The typed records of the network: cities, people, calls, replies and more.

The names below are loaded on first use, each from its module: a command that reads cities
does not build the classes of announcements, matches or projects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from uccn_sdk.exports import lazy_exports

if TYPE_CHECKING:
    from uccn_sdk.models.announcement import (
        Announcement,
        AnnouncementState,
        LocalTime,
        Once,
        QuietHours,
        Recurring,
        Schedule,
    )
    from uccn_sdk.models.audience import Audience
    from uccn_sdk.models.call import Call, CallState, Question
    from uccn_sdk.models.city import UNVERIFIED, City, Coordinates, Designation, Fact
    from uccn_sdk.models.field import CreativeField
    from uccn_sdk.models.match import Match, Party, Round, RoundGroup, ScorePart
    from uccn_sdk.models.people import FocalPoint, Role
    from uccn_sdk.models.project import Project
    from uccn_sdk.models.reply import Answer, MessageRef, Reply, Revision, UnlinkedReply
    from uccn_sdk.models.values import Region

__all__ = [
    "UNVERIFIED",
    "Announcement",
    "AnnouncementState",
    "Answer",
    "Audience",
    "Call",
    "CallState",
    "City",
    "Coordinates",
    "CreativeField",
    "Designation",
    "Fact",
    "FocalPoint",
    "LocalTime",
    "Match",
    "MessageRef",
    "Once",
    "Party",
    "Project",
    "Question",
    "QuietHours",
    "Recurring",
    "Region",
    "Reply",
    "Revision",
    "Role",
    "Round",
    "RoundGroup",
    "Schedule",
    "ScorePart",
    "UnlinkedReply",
]

_HOMES = {
    "Announcement": "uccn_sdk.models.announcement",
    "AnnouncementState": "uccn_sdk.models.announcement",
    "Answer": "uccn_sdk.models.reply",
    "Audience": "uccn_sdk.models.audience",
    "Call": "uccn_sdk.models.call",
    "CallState": "uccn_sdk.models.call",
    "City": "uccn_sdk.models.city",
    "Coordinates": "uccn_sdk.models.city",
    "CreativeField": "uccn_sdk.models.field",
    "Designation": "uccn_sdk.models.city",
    "Fact": "uccn_sdk.models.city",
    "FocalPoint": "uccn_sdk.models.people",
    "LocalTime": "uccn_sdk.models.announcement",
    "Match": "uccn_sdk.models.match",
    "MessageRef": "uccn_sdk.models.reply",
    "Once": "uccn_sdk.models.announcement",
    "Party": "uccn_sdk.models.match",
    "Project": "uccn_sdk.models.project",
    "Question": "uccn_sdk.models.call",
    "QuietHours": "uccn_sdk.models.announcement",
    "Recurring": "uccn_sdk.models.announcement",
    "Region": "uccn_sdk.models.values",
    "Reply": "uccn_sdk.models.reply",
    "Revision": "uccn_sdk.models.reply",
    "Role": "uccn_sdk.models.people",
    "Round": "uccn_sdk.models.match",
    "RoundGroup": "uccn_sdk.models.match",
    "Schedule": "uccn_sdk.models.announcement",
    "ScorePart": "uccn_sdk.models.match",
    "UNVERIFIED": "uccn_sdk.models.city",
    "UnlinkedReply": "uccn_sdk.models.reply",
}

__getattr__, __dir__ = lazy_exports(__name__, _HOMES)
