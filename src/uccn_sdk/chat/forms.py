"""Forms: a call's questions as a platform shows them (a Slack modal), and their checks.

A connector with forms asks the bot for a call's form when a user presses the call's
reply button, and has the answers checked before the form closes, so a mistake is shown
in the form itself. The answers then arrive as a `FormSubmission` like any other reply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from uccn_sdk.chat.events import Sender
from uccn_sdk.models import Question


@dataclass(frozen=True, kw_only=True)
class Form:
    call: str
    title: str
    questions: tuple[Question, ...]
    language: str
    submit_label: str
    cancel_label: str
    answer_label: str
    """The label of the single free-text field of a call without questions."""
    refusal: str | None = None
    """Why this user cannot answer (the call is closed, say); a connector shows it instead."""


class Forms(Protocol):
    def form(self, call_id: str, sender: Sender) -> Form:
        """The form for `call_id`, in `sender`'s language; its `refusal` says when it is closed."""
        ...

    def check(self, call_id: str, sender: Sender, answers: Mapping[str, str]) -> dict[str, str]:
        """What is wrong with `answers`, by question id ('' for the whole form); empty if fine."""
        ...
