"""The base of every error a user can act on, and validation errors told as sentences. Kept free
of heavy imports."""

from __future__ import annotations

from typing import Any


class UccnError(Exception):
    """A problem the user can fix; the message says what and how, in one paragraph."""


_PLACES = {"text": "the text", "id": "the id"}


def plain_message(item: Any) -> str:
    """One of a pydantic error's items as the sentence its validator wrote."""
    return str(item["msg"]).removeprefix("Value error, ")


def describe_error(error: Any, *, limit: int = 3, whole: str = "") -> str:
    """A pydantic ValidationError as one line a person can act on: where, then what, for its
    first `limit` problems; `whole` names the place of a problem with the record as a whole."""
    problems = []
    for item in error.errors()[:limit]:
        where = ".".join(str(p) for p in item["loc"] if not str(p).startswith("function-"))
        where = _PLACES.get(where, where) or whole
        problems.append(f"{where}: {plain_message(item)}" if where else plain_message(item))
    return "; ".join(problems)
