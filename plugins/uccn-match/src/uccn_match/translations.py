"""The scorers' explanations in more languages, from this package's gettext catalogs.

Each ``locale/LANG/LC_MESSAGES/uccn_match.po`` translates the English phrases the scorers
pass to :func:`uccn_sdk.messages.say`; uccn uses them through the templates hook.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from uccn_sdk import MessageTemplate

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "uccn_match"


def catalogs() -> dict[str, dict[str, str]]:
    """English phrase → language → translation, from every catalog this package ships."""
    from babel.messages.pofile import read_po

    found: dict[str, dict[str, str]] = {}
    for path in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        language = path.parents[1].name
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in catalog:
            if message.id and isinstance(message.string, str) and message.string:
                found.setdefault(str(message.id), {})[language] = message.string
    return found


def _name(english: str) -> str:
    words = re.findall(r"[a-z0-9]+", english.lower())
    return "-".join(["match", *words])[:100].rstrip("-")


def uccn_register_templates(register: Callable[[MessageTemplate], None]) -> None:
    for english, texts in catalogs().items():
        register(MessageTemplate(name=_name(english), texts={"en": english, **texts}))
