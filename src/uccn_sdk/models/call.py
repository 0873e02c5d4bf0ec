"""Calls for contributions: what the Secretariat asks the cities."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, model_validator

from uccn_sdk.errors import Invalid
from uccn_sdk.messages import N_
from uccn_sdk.models.audience import Audience
from uccn_sdk.models.base import Model
from uccn_sdk.models.values import AwareDatetime, LanguageCode, Name, Slug

Choice = Annotated[str, Field(min_length=1, max_length=100)]


class CallState(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class Question(Model):
    id: Annotated[str, Field(pattern=r"^q[0-9]{1,2}$")]
    """'q1', 'q2', …: how a focal point refers to the question in a reply."""
    kind: Literal["text", "choice", "number", "date"] = "text"
    prompt: Annotated[str, Field(min_length=1, max_length=1_000)]
    choices: Annotated[list[Choice], Field(max_length=20)] = []

    @model_validator(mode="after")
    def _choices_match_kind(self) -> Question:
        if self.kind == "choice" and len(self.choices) < 2:
            raise Invalid(
                N_("question {question} is a choice: give at least two choices"), question=self.id
            )
        if self.kind != "choice" and self.choices:
            raise Invalid(
                N_("question {question} is {kind}: only a choice has choices"),
                question=self.id,
                kind=repr(self.kind),
            )
        return self


class Call(Model):
    id: Slug
    title: Name
    text: Annotated[str, Field(min_length=1, max_length=20_000)]
    questions: Annotated[list[Question], Field(max_length=30)] = []
    audience: Audience
    deadline: AwareDatetime
    language: LanguageCode = "en"
    state: CallState = CallState.DRAFT
    created_at: AwareDatetime = Field(default_factory=lambda: datetime.now(UTC))
    opened_at: AwareDatetime | None = None
    closed_at: AwareDatetime | None = None
    """When it was closed, by hand or at its deadline (calls closed before this was kept: none)."""

    def reminders_from(self, lead: timedelta) -> datetime:
        """When the cities that have not answered are reminded: `lead` before the deadline,
        or, for a call opened closer to its deadline than that, halfway from its opening to
        its deadline, so that nobody is reminded of a call they have only just been sent."""
        start = self.deadline - lead
        if self.opened_at is not None:
            start = max(start, self.opened_at + (self.deadline - self.opened_at) / 2)
        return start

    @model_validator(mode="after")
    def _question_ids_unique(self) -> Call:
        ids = [q.id for q in self.questions]
        if len(ids) != len(set(ids)):
            raise Invalid(N_("two questions share an id"))
        return self

    @classmethod
    def draft(cls, data: Mapping[str, object], *, now: datetime | None = None) -> Call:
        """A new call in draft; its deadline must lie in the future."""
        call = cls.model_validate({**data, "state": CallState.DRAFT})
        moment = now or datetime.now(UTC)
        if call.deadline <= moment:
            raise Invalid(
                N_("the deadline {deadline} has passed: give a date in the future"),
                deadline=call.deadline.isoformat(),
            )
        return call
