"""The words of call posts, reminders, summaries and notices, in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from uccn_sdk.calls.parsing import KEYCAPS
from uccn_sdk.chat.safety import MAX_TEXT, clip, neutralise
from uccn_sdk.messages import translate as _
from uccn_sdk.models import Call, CallState, Question


@dataclass
class Summary:
    call: str
    title: str
    targets: int
    answered: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    by_field: dict[str, tuple[int, int]] = field(default_factory=dict)
    """(answered, total) per creative field."""
    by_region: dict[str, tuple[int, int]] = field(default_factory=dict)
    unlinked: int = 0

    @property
    def rate(self) -> float:
        return len(self.answered) / self.targets if self.targets else 0.0


def deadline_text(deadline: datetime, zone: str | None) -> str:
    local = deadline.astimezone(ZoneInfo(zone) if zone else UTC)
    return local.strftime("%Y-%m-%d %H:%M ") + (zone or "UTC")


def question_lines(questions: Sequence[Question]) -> list[str]:
    """The questions numbered, each choice after its keycap (the reaction that picks it)."""
    lines = []
    for number, question in enumerate(questions, start=1):
        lines.append(f"{number}. {neutralise(question.prompt)}")
        if question.kind == "choice":
            lines.extend(
                f"   {KEYCAPS[i]} {neutralise(c)}" for i, c in enumerate(question.choices[:9])
            )
    return lines


def card_hint(language: str) -> str:
    return _(
        language,
        "Press the button to answer in a form, or answer in this thread, one numbered answer "
        "per question (1. … 2. …). You can change your answer until the deadline.",
    )


def call_post(
    language: str,
    *,
    call_id: str,
    title: str,
    text: str,
    questions: Sequence[Question],
    deadline: datetime,
    zone: str | None,
) -> str:
    lines = [f"📣 {neutralise(title)}", "", neutralise(text), ""]
    lines += question_lines(questions)
    if questions:
        lines.append("")
    lines.append(_(language, "Deadline: {deadline}", deadline=deadline_text(deadline, zone)))
    if len(questions) == 1 and questions[0].kind == "choice":
        lines.append(_(language, "To answer, react with the number of your choice."))
    lines.append(
        _(
            language,
            "Answer in this thread, one numbered answer per question (1. … 2. …). "
            "You can edit your answer until the deadline. Call id: {call}",
            call=call_id,
        )
    )
    return "\n".join(lines)


def reminder(
    language: str, *, city: str, title: str, call_id: str, deadline: datetime, zone: str | None
) -> str:
    return _(
        language,
        "Reminder: {city} has not answered the call “{title}” yet. The deadline is {deadline}. "
        "Answer in the call's thread, or write to me: reply {call} followed by your answers.",
        city=city,
        title=neutralise(title),
        deadline=deadline_text(deadline, zone),
        call=call_id,
    )


SHOWN_MISSING = 50
"""How many of the cities that have not answered a summary names; the rest are counted."""


def not_answered(language: str, missing: Sequence[str], names: Mapping[str, str]) -> str:
    """'Not answered: Bologna, Lyon … (+29)', by name."""
    shown = ", ".join(names.get(c, c) for c in missing[:SHOWN_MISSING])
    more = len(missing) - SHOWN_MISSING
    return _(language, "Not answered: {cities}", cities=shown) + (f" (+{more})" if more > 0 else "")


def summary_text(language: str, summary: Summary, names: dict[str, str]) -> str:
    lines = [
        _(
            language,
            "Call “{title}” is closed: {answered} of {targets} cities answered ({rate:.0%}).",
            title=neutralise(summary.title),
            answered=len(summary.answered),
            targets=summary.targets,
            rate=summary.rate,
        )
    ]
    for heading, table in (
        (_(language, "By field"), summary.by_field),
        (_(language, "By region"), summary.by_region),
    ):
        parts = [f"{name} {a}/{t}" for name, (a, t) in sorted(table.items())]
        if parts:
            lines.append(f"{heading}: " + ", ".join(parts))
    if summary.missing:
        lines.append(not_answered(language, summary.missing, names))
    if summary.unlinked:
        lines.append(
            _(
                language,
                "Answers from people not linked to a city: {count}.",
                count=summary.unlinked,
            )
        )
    return "\n".join(lines)


def not_open(call: Call | None, call_id: str, text: str, language: str) -> str:
    """Why no answer to this call can be taken now, or '' when one can."""
    if call is None:
        return _(language, "There is no call {call}.", call=call_id)
    if call.state is not CallState.OPEN:
        return _(
            language,
            "The call “{title}” is closed; answers are no longer accepted.",
            title=clip(call.title, 80),
        )
    if len(text) > MAX_TEXT:
        return _(
            language,
            "Your answer is too long ({size} characters; the limit is {limit}). Please shorten it.",
            size=len(text),
            limit=MAX_TEXT,
        )
    return ""


def not_by_reaction(language: str, questions: int) -> str:
    """What a number reaction on a call it cannot answer is told."""
    if questions < 2:
        return _(language, "A reaction does not answer this call: answer in this thread.")
    return _(
        language,
        "A reaction does not answer this call (it has {count} questions): answer in this "
        "thread, one numbered answer per question (1. … 2. …).",
        count=questions,
    )
