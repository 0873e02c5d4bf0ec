"""Circus arts as a creative field, named in the languages of the cities that would join it.

The network's eight fields come from a plugin too (uccn-unesco); this one adds a ninth the
same way. Once it is installed, cities can be imported and designated in it, calls can be
addressed to it, and every list and message names it in its reader's language.
"""

from __future__ import annotations

from uccn_sdk import CreativeField

CIRCUS = CreativeField(
    slug="circus",
    names={
        "en": "Circus Arts",
        "fr": "Arts du cirque",
        "es": "Artes circenses",
        "pt": "Artes circenses",
        "ar": "فنون السيرك",
        "ru": "Цирковое искусство",
        "zh": "马戏艺术",
    },
)


def uccn_register_fields(register):
    register(CIRCUS)
