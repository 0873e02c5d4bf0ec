"""The order a reader expects names in: Évora among the E's, Łódź among the L's, not after Z.

Python compares code points, which puts every accented capital after 'Z'. Without ICU, this
approximates the Unicode collation of English and French (CLDR's root order): letters first,
compared without accents or case; then accents; then case.
"""

from __future__ import annotations

import unicodedata

# Letters with no canonical decomposition to a base letter and an accent.
_BASE_LETTERS = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "ŧ": "t",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
    }
)


def _without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stored_key(name: str) -> str:
    """:func:`name_key` as one string that sorts the same byte by byte (as a database orders a
    column in its binary collation): the store keeps it beside each city's name."""
    return SEPARATOR.join(name_key(name))


def folded(text: str) -> str:
    """`text` as the first part of a sort key holds it: letters without accents or case."""
    return name_key(text)[0]


SEPARATOR = "\x01"
"""Below every character a name holds, so that a shorter key part sorts first."""


def name_key(name: str) -> tuple[str, str, str]:
    """A sort key for `name`: its letters, then its accents, then its case."""
    folded = name.casefold()
    return (_without_accents(folded).translate(_BASE_LETTERS), folded, name)
