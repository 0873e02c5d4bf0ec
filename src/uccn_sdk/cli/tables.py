"""Plain aligned tables. Rich's Table takes ~1 ms a row to lay out, and its console a tenth of
`uccn cities list` to import; a directory has hundreds of rows, so tables go out through click."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence

import typer
from rich.cells import cell_len, set_cell_size

_GAP = "  "
_MIN_WIDTH = 6


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print a bold title, a header and left-aligned columns to standard output; on a
    terminal, shrink the widest columns to fit its width."""
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    # click drops the bold when the output is not a terminal; a dumb terminal gets none either.
    typer.echo(title if os.environ.get("TERM") == "dumb" else typer.style(title, bold=True))
    typer.echo("\n".join(table_lines(headers, rows, width)))


def table_lines(
    headers: Sequence[str], rows: Sequence[Sequence[str]], width: int | None = None
) -> list[str]:
    """The header, a rule and one line per row, each cell padded to its column; with a
    `width`, the widest columns are cut (ending in '…') until a line fits, down to a minimum."""
    widths = [
        max([cell_len(h), *(cell_len(row[i]) for row in rows)]) for i, h in enumerate(headers)
    ]
    if width is not None:
        room = width - cell_len(_GAP) * (len(headers) - 1)
        while sum(widths) > room and max(widths) > _MIN_WIDTH:
            widths[widths.index(max(widths))] -= 1
    lines = [_line(headers, widths), _GAP.join("─" * w for w in widths)]
    lines += [_line(row, widths) for row in rows]
    return lines


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return _GAP.join(_fit(cell, width) for cell, width in zip(cells, widths, strict=True)).rstrip()


def _fit(cell: str, width: int) -> str:
    if cell_len(cell) <= width:
        return set_cell_size(cell, width)
    return set_cell_size(cell, width - 1) + "…"
