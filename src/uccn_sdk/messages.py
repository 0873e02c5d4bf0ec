"""The bot's messages, translated through gettext catalogs (babel); English is the source.

Each message id is its English text with ``{placeholders}``; ``uccn_sdk/locale/LANG/
LC_MESSAGES/uccn.po`` holds the translations. Plugins add languages through the
``uccn_register_templates`` hook (see :func:`use`). A language without a translation of a
message falls back to English.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "uccn"

_added: dict[str, Mapping[str, str]] = {}
"""Translations from plugins: English message → language → text."""
_spoken: ContextVar[str] = ContextVar("uccn_spoken", default="en")
"""The language :func:`say` speaks: set by :func:`speaking`."""


def N_(message: str) -> str:
    """Marks a message for extraction without translating it yet."""
    return message


@cache
def _catalog(language: str) -> dict[str, str]:
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    return {
        str(m.id): str(m.string)
        for m in catalog
        if m.id and isinstance(m.string, str) and m.string and not m.fuzzy
    }


def languages() -> list[str]:
    """The languages with a catalog, English first."""
    return ["en", *sorted(p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES").is_dir())]


def known() -> frozenset[str]:
    """Every message uccn sends, by its English text."""
    return frozenset().union(*(_catalog(language).keys() for language in languages()[1:]))


def placeholders(text: str) -> frozenset[str]:
    """The ``{names}`` a message fills in."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def use(translations: Mapping[str, Mapping[str, str]]) -> None:
    """Use the plugins' translations (English message → language → text) from now on, in
    place of any used before; uccn's own catalogs come first for the languages they have."""
    _added.clear()
    _added.update(translations)


def translate(language: str, message: str, **values: object) -> str:
    """`message` in `language` (or its base language, else English), with `values` filled in."""
    for candidate in (language, language.split("-")[0]):
        text = _catalog(candidate).get(message) or _added.get(message, {}).get(candidate)
        if text:
            return text.format(**values)
    return message.format(**values)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Within this block, :func:`say` and :func:`listing` speak `language`.

    For code that builds words for a reader it does not know, such as a match scorer's
    explanation: whoever shows them to the reader says which language. A language nothing
    is translated into is spoken as English, names and lists included, so that a sentence
    does not mix two languages.
    """
    token = _spoken.set(_available(language))
    try:
        yield
    finally:
        _spoken.reset(token)


def _available(language: str) -> str:
    """`language`, or its base language, if uccn or a plugin translates into it; else 'en'."""
    for candidate in (language, language.split("-")[0]):
        if _catalog(candidate) or any(candidate in texts for texts in _added.values()):
            return candidate
    return "en"


def spoken() -> str:
    """The language of the enclosing :func:`speaking` block; English outside one."""
    return _spoken.get()


def say(message: str, **values: object) -> str:
    """`message` translated into the :func:`spoken` language, with `values` filled in."""
    return translate(_spoken.get(), message, **values)


def locale_of(language: str) -> Locale:
    """`language` as a babel ``Locale``, for names, numbers and lists; English when CLDR does
    not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        return Locale("en")


def spoken_locale() -> Locale:
    """The :func:`spoken` language as a babel ``Locale`` (see :func:`locale_of`)."""
    return locale_of(_spoken.get())


def listing(items: Sequence[str]) -> str:
    """'a, b and c' in the :func:`spoken` language (CLDR's list patterns, through babel)."""
    from babel.lists import format_list

    return format_list(list(items), locale=spoken_locale())
