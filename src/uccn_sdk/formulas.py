"""Spreadsheet cells that would run as formulas, and how a CSV file keeps them as text.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets (``=HYPERLINK(…)`` opens a link, ``=cmd|…``
has run commands). OWASP's advice for CSV files is a leading apostrophe, which those programs
show as text. Full-width and small forms of the same signs, and zero-width characters before
them, are treated alike: some programs fold them into the ASCII sign. A plain number (-12.5) is
left as it is. :func:`unguarded` undoes :func:`guarded` exactly, so an import reads back what an
export wrote.
"""

from __future__ import annotations

import re

_SIGNS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20\ufe62\ufe63\ufe66\u2212"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_FORMULA = re.compile(f"[{_INVISIBLE}]*[{re.escape(_SIGNS)}]")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def _needs_guard(text: str) -> bool:
    if _NUMBER.fullmatch(text):
        return False
    # A text that starts with the guard and then a formula is guarded too, so that reading it
    # back cannot take its own apostrophe for the guard.
    return bool(_FORMULA.match(text)) or (text.startswith("'") and _needs_guard(text[1:]))


def guarded(text: str) -> str:
    """`text` as a CSV cell a spreadsheet shows as text: with a leading apostrophe if needed."""
    return f"'{text}" if _needs_guard(text) else text


def unguarded(cell: str) -> str:
    """The text :func:`guarded` made `cell` from."""
    return cell[1:] if cell.startswith("'") and _needs_guard(cell[1:]) else cell
