"""The typed records of the network: cities, people, calls, replies and more."""

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
