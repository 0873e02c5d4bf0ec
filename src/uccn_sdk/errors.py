"""The base of every error a user can act on, and validation errors told as sentences, in the
reader's language. Kept free of heavy imports.

An error says what is wrong with an English message marked for translation and the values it
fills in, ``UccnError(N_("there is no call {call}"), call=call_id)``: the command line shows it
in English, the bot in the language of whoever reads it (:meth:`UccnError.said`).
"""

from __future__ import annotations

from typing import Any

from uccn_sdk.messages import N_, translate


class UccnError(Exception):
    """A problem the user can fix; the message says what and how, in one paragraph."""

    def __init__(self, message: str = "", /, **values: object) -> None:
        self.message = message
        self.values = values
        super().__init__(message.format(**values) if values else message)

    def said(self, language: str) -> str:
        """The message in `language`, as far as it is translated."""
        if not self.values and "{" in self.message:
            return str(self)  # a message written whole, braces and all
        values = {
            name: value.said(language) if isinstance(value, UccnError) else value
            for name, value in self.values.items()
        }
        return translate(language, self.message, **values)


class Invalid(UccnError, ValueError):
    """A value a model's validator refuses: a ValueError for pydantic, said as a UccnError."""


class NotValid(UccnError):
    """Data a model refuses, every problem told as a sentence (see :func:`describe_error`)."""

    def __init__(self, error: Any, *, whole: str = "", frame: str = "") -> None:
        self.error = error
        self.whole = whole
        self.frame = frame
        super().__init__(self._text("en"))

    def said(self, language: str) -> str:
        return self._text(language)

    def _text(self, language: str) -> str:
        described = describe_error(self.error, language, whole=self.whole)
        return translate(language, self.frame, problems=described) if self.frame else described


# How pydantic's error types read, by type; {where} names the field.
_SAID = {
    "missing": N_("{where} is missing"),
    "string_too_short": N_("{where} is empty"),
    "string_too_long": N_("{where} is too long: at most {max_length} characters"),
    "too_long": N_("{where} has too many items: at most {max_length}"),
    "too_short": N_("{where} needs at least {min_length} items"),
    "int_parsing": N_("{where} should be a whole number"),
    "int_from_float": N_("{where} should be a whole number"),
    "float_parsing": N_("{where} should be a number"),
    "greater_than_equal": N_("{where} should be at least {ge}"),
    "less_than_equal": N_("{where} should be at most {le}"),
    "greater_than": N_("{where} should be more than {gt}"),
    "less_than": N_("{where} should be less than {lt}"),
    "literal_error": N_("{where} should be one of: {expected}"),
    "enum": N_("{where} should be one of: {expected}"),
    "bool_parsing": N_("{where} should be yes or no"),
    "date_parsing": N_("{where} should be a date like 2026-12-01"),
    "date_from_datetime_parsing": N_("{where} should be a date like 2026-12-01"),
    "datetime_parsing": N_("{where} should be a date and time like 2026-12-01T17:00+01:00"),
    "datetime_from_date_parsing": N_(
        "{where} should be a date and time like 2026-12-01T17:00+01:00"
    ),
    "timezone_aware": N_("{where} needs its UTC offset, like 2026-12-01T17:00+01:00"),
    "time_parsing": N_("{where} should be a time of day like 10:00"),
    "string_pattern_mismatch": N_("{where} has characters it cannot hold"),
    "url_parsing": N_("{where} should be a web address (https://…)"),
    "extra_forbidden": N_("{where} is not something I know"),
}
_PLACES = {"text": N_("the text"), "id": N_("the id")}
_ITEMS = {"questions": N_("question {number}"), "choices": N_("choice {number}")}


def plain_message(item: Any, language: str = "en") -> str:
    """One of a pydantic error's items as a sentence in `language`, without its place."""
    return _sentence(item, language, "")


def describe_error(error: Any, language: str = "en", *, whole: str = "") -> str:
    """A pydantic ValidationError as one line a person can act on, in `language`: for each
    problem, where and what; `whole` names the place of a problem with the record as a whole."""
    return describe_items(error.errors(), language, whole=whole)


def describe_items(items: Any, language: str = "en", *, whole: str = "") -> str:
    """Some items of a ValidationError (``error.errors()``), said as by :func:`describe_error`."""
    problems = []
    for item in items:
        where = _where([p for p in item["loc"] if not str(p).startswith("function-")], language)
        where = where or (translate(language, whole) if whole else "")
        problems.append(_sentence(item, language, where))
    said = ""
    for problem in dict.fromkeys(problems):
        said = (
            translate(language, N_("{said}; {problem}"), said=said, problem=problem)
            if said
            else problem
        )
    return said


def _where(location: list[Any], language: str) -> str:
    """A field's place as its reader names it: ``title``, ``question 2`` (not questions.1)."""
    parts: list[str] = []
    for part in location:
        if isinstance(part, int) and parts and parts[-1] in _ITEMS:
            parts[-1] = translate(language, _ITEMS[parts[-1]], number=part + 1)
        else:
            parts.append(str(part))
    where = ".".join(parts)
    return translate(language, _PLACES[where]) if where in _PLACES else where


def _sentence(item: Any, language: str, where: str) -> str:
    context = item.get("ctx") or {}
    cause = context.get("error")
    if isinstance(cause, UccnError):
        said = cause.said(language)
    elif item["type"] in _SAID:
        values = {k: v for k, v in context.items() if isinstance(v, str | int | float)}
        place = where or translate(language, N_("the value"))
        return translate(language, _SAID[item["type"]], **{**values, "where": place})
    else:
        said = str(item["msg"]).removeprefix("Value error, ")
    return translate(language, N_("{name}: {problem}"), name=where, problem=said) if where else said
