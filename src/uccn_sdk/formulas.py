"""Spreadsheet cells that would run as formulas, and how a CSV file keeps them as text.

Excel, LibreOffice and Google Sheets read a cell that starts with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return as a formula (``=HYPERLINK(…)`` opens a link, ``=cmd|…`` has run
commands). OWASP's advice for CSV files is a leading apostrophe, which those programs show as
text. The guard goes on every such cell but three kinds no spreadsheet runs, since they hold no
name, reference, quote or pipe a formula needs:

- a number with its sign: ``-5``, ``+33``, ``-1,250.75``, ``-12.5e3``, ``-40%``;
- a telephone number: ``+`` and a digit, then digits, spaces, dots and parentheses
  (``+33 1 23 45 67 89``, ``+44 (0)20 7946 0958``);
- a Matrix user id whose server name has a dot, or is an IPv6 address (``@ana:uccn.test``).

Full-width and small forms of the signs, and zero-width characters before them, are always
guarded: some programs fold them into the ASCII sign. :func:`unguarded` undoes :func:`guarded`
exactly, so an import reads back what an export wrote, files written when every signed cell
was guarded included.
"""

from __future__ import annotations

import re

_SIGNS = "=+-@\t\r\uff1d\uff0b\uff0d\uff20\ufe62\ufe63\ufe66\u2212"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_FORMULA = re.compile(f"[{_INVISIBLE}]*[{re.escape(_SIGNS)}]")
_NUMBER = r"[-+](?:\d+(?:,\d+)*(?:\.\d+)?|\.\d+)(?:e[-+]?\d+)?%?"
_PHONE = r"\+\d[\d ().]*"
_MATRIX_ID = r"@[a-z0-9._=/+-]+:(?:[a-z0-9-]+(?:\.[a-z0-9-]+)+|\[[0-9a-f:.]+\])(?::\d{1,5})?"
_INERT = re.compile(f"{_NUMBER}|{_PHONE}|{_MATRIX_ID}", re.ASCII | re.IGNORECASE)


def _signed(text: str) -> bool:
    """Starts with a formula's sign, after any number of apostrophes."""
    return bool(_FORMULA.match(text.lstrip("'")))


def _needs_guard(text: str) -> bool:
    if text.startswith("'"):
        # So that reading it back cannot take its own apostrophe for the guard.
        return _signed(text)
    return bool(_FORMULA.match(text)) and not _INERT.fullmatch(text)


def guarded(text: str) -> str:
    """`text` as a CSV cell a spreadsheet shows as text: with a leading apostrophe if needed."""
    return f"'{text}" if _needs_guard(text) else text


def unguarded(cell: str) -> str:
    """The text :func:`guarded` made `cell` from."""
    return cell[1:] if cell.startswith("'") and _signed(cell[1:]) else cell
