"""The bot's messages, translated through gettext catalogs (babel); English is the source.

Each message id is its English text with ``{placeholders}``; ``uccn_sdk/locale/LANG/
LC_MESSAGES/uccn.po`` holds the translations. A language without a catalog, or a message
without a translation, falls back to English.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "uccn"


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


def translate(language: str, message: str, **values: object) -> str:
    """`message` in `language` (or its base language, else English), with `values` filled in."""
    for candidate in (language, language.split("-")[0]):
        text = _catalog(candidate).get(message)
        if text:
            return text.format(**values)
    return message.format(**values)
