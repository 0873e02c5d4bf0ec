"""The default reply parser, and the check of parsed answers against a call's questions."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime

from uccn_sdk.chat.safety import clip
from uccn_sdk.errors import Invalid
from uccn_sdk.messages import N_, locale_of
from uccn_sdk.messages import translate as _
from uccn_sdk.models import Answer, Question

# "1. text", "1) text", "Q1: text", "q1 - text" at the start of a line.
_MARKER = re.compile(r"(?im)^[ \t]*(?:q(?P<q>\d{1,2})\s*[:.)-]|(?P<n>\d{1,2})\s*[.)])[ \t]*")
# The same within a line ("1. 14 2. La Fête du livre"), after a space and followed by one.
_INLINE = re.compile(r"(?i)(?:^|(?<=\s))(?:q(?P<q>\d{1,2})\s*[:.)-]|(?P<n>\d{1,2})[.)])\s+")


class NumberedParser:
    """Reads numbered answers (``1. …``, ``2) …``) and ``Q1: …``.

    When the call has one question, an unnumbered text is its answer, and so is a text with
    a numbered list in it. With several questions, a number given twice (a list inside an
    answer) is not guessed at: the text is not read, and its author is asked to number the
    answers once each. Answers on one line (``1. 14 2. La Fête du livre``, all a console can
    send) are read when the markers come in order, 1 first; any other number is text.
    """

    name = "numbered"

    def parse(self, text: str, questions: Sequence[Question]) -> Mapping[str, Answer] | None:
        if not questions:
            return {}
        matches = list(_MARKER.finditer(text))
        numbers = [int(match["q"] or match["n"]) for match in matches]
        if len(questions) == 1 and numbers != [1]:
            return {questions[0].id: text.strip()}
        if len(matches) == 1 and "\n" not in text.strip():
            matches, numbers = _inline(text, len(questions)) or (matches, numbers)
        if not matches or len(set(numbers)) < len(numbers):
            return None
        answers: dict[str, Answer] = {}
        for number, match, following in zip(numbers, matches, [*matches[1:], None], strict=True):
            end = following.start() if following else len(text)
            answers[f"q{number}"] = text[match.end() : end].strip()
        return answers


def _inline(text: str, count: int) -> tuple[list[re.Match[str]], list[int]] | None:
    """The markers 1, 2, … `count` met in this order on one line, or None if fewer than two."""
    markers: list[re.Match[str]] = []
    for match in _INLINE.finditer(text):
        if int(match["q"] or match["n"]) == len(markers) + 1 <= count:
            markers.append(match)
    if len(markers) < 2 or markers[0].start() != len(text) - len(text.lstrip()):
        return None
    return markers, list(range(1, len(markers) + 1))


# Spaces and apostrophes only ever group digits (12 000, 12'000); U+2212 is a minus sign.
_GROUPING = re.compile(r"[\s'\u2019]")


class NotANumber(ValueError):
    """An answer that is not a number; `readings` are the two a number like 1,5 could mean."""

    def __init__(self, raw: str, readings: Sequence[str] = ()) -> None:
        super().__init__(f"not a number: {raw!r}")
        self.readings = list(readings)


def read_number(raw: str, language: str) -> float:
    """`raw` read as a number the way `language` writes one (1 234,5 in French, 1,234.5 in
    English), else as in English (2.5 from a French focal point too). Raises NotANumber when
    it is not a finite number, or is ambiguous both ways (1,5 in English: 15 or 1.5?)."""
    from babel.numbers import NumberFormatError, parse_decimal

    text = _GROUPING.sub("", raw).replace("\u2212", "-")
    readings: list[str] = []
    for locale in dict.fromkeys([str(locale_of(language)), "en"]):
        try:
            value = float(parse_decimal(text, locale=locale, strict=True))
        except NumberFormatError as error:
            readings = readings or list(error.suggestions or [])
            continue
        if not math.isfinite(value):
            break
        return value
    raise NotANumber(raw, readings)


def check_answers(
    answers: Mapping[str, Answer],
    questions: Sequence[Question],
    language: str = "en",
    *,
    from_form: bool = False,
) -> tuple[dict[str, Answer], dict[str, str]]:
    """Answers converted to each question's kind, and what is wrong by question id, in
    `language`. Numbers are read as `language` writes them, except `from_form`: a form's
    number field gives a plain decimal (1.234) whatever the language."""
    by_id = {q.id: q for q in questions}
    checked: dict[str, Answer] = {}
    problems: dict[str, str] = {}
    for key, value in answers.items():
        question = by_id.get(key)
        if question is None:
            problems[key] = _(language, "there is no question {number}", number=key[1:])
            continue
        raw = str(value).strip()
        if not raw:
            problems[key] = _(language, "answer {number} is empty", number=key[1:])
        elif question.kind == "number":
            try:
                checked[key] = read_number(raw, "en" if from_form else language)
            except NotANumber as error:
                problems[key] = (
                    _(
                        language,
                        "answer {number} can be read two ways: write {first} or {second}",
                        number=key[1:],
                        first=error.readings[0],
                        second=error.readings[1],
                    )
                    if len(error.readings) == 2
                    else _(
                        language,
                        "answer {number} should be a number, not “{value}”",
                        number=key[1:],
                        value=clip(raw, 40),
                    )
                )
        elif question.kind == "date":
            try:
                checked[key] = date.fromisoformat(raw).isoformat()
            except ValueError:
                problems[key] = _(
                    language, "answer {number} should be a date like 2026-12-01", number=key[1:]
                )
        elif question.kind == "choice":
            choice = _choice(raw, question.choices)
            if choice is None:
                problems[key] = _(
                    language,
                    "answer {number} should be one of: {choices}",
                    number=key[1:],
                    choices=", ".join(question.choices),
                )
            else:
                checked[key] = choice
        else:
            checked[key] = raw
    return checked, problems


KEYCAPS = [
    "1\ufe0f\u20e3",
    "2\ufe0f\u20e3",
    "3\ufe0f\u20e3",
    "4\ufe0f\u20e3",
    "5\ufe0f\u20e3",
    "6\ufe0f\u20e3",
    "7\ufe0f\u20e3",
    "8\ufe0f\u20e3",
    "9\ufe0f\u20e3",
]


def _choice(raw: str, choices: Sequence[str]) -> str | None:
    lowered = raw.lower().rstrip(".! ")
    for choice in choices:
        if choice.lower() == lowered:
            return choice
    if lowered.isdecimal() and 1 <= int(lowered) <= len(choices):
        return choices[int(lowered) - 1]
    if raw in KEYCAPS[: len(choices)]:
        return choices[KEYCAPS.index(raw)]
    return None


QUESTION_SYNTAX = "Prompt, Prompt::number, Prompt::date, Prompt::choice:yes|no, or Prompt [number]"
"""How a question is written, on the command line (-q) and in chat (a Q: line) alike."""


def question_spec(index: int, spec: str) -> dict[str, object]:
    """The question `spec` writes, as data for :class:`~uccn_sdk.models.Question`: a prompt,
    then its kind and choices after ``::`` (``Coming?::choice:yes|no``) or in brackets
    (``Coming? [choice:yes|no]``); a prompt alone is a text question."""
    text = spec.strip()
    if "::" in text:
        prompt, _, kind = text.partition("::")
    elif text.endswith("]") and "[" in text:
        prompt, _, kind = text[:-1].rpartition("[")
    else:
        prompt, kind = text, ""
    kind, _, choices = kind.partition(":")
    question: dict[str, object] = {
        "id": f"q{index}",
        "prompt": prompt.strip(),
        "kind": kind.strip() or "text",
    }
    if choices:
        question["choices"] = [c.strip() for c in choices.split("|")]
    return question


DEADLINE_SYNTAX = "2026-12-15T17:00+01:00"
"""How a deadline is written, on the command line (--deadline) and in chat (deadline=)."""


def read_deadline(text: str) -> datetime:
    """The deadline `text` writes: an ISO 8601 date and time with its UTC offset."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise Invalid(
            N_("“{text}” is not a date and time; write it like {example}"),
            text=text[:40],
            example=DEADLINE_SYNTAX,
        ) from None
    if moment.tzinfo is None:
        raise Invalid(
            N_("give the time with its UTC offset, like {example}"), example=DEADLINE_SYNTAX
        )
    return moment
